// charts/helpdesk exactly as a platform team installs it first: `helm install --wait
// --wait-for-jobs` with the chart's defaults (the production requests: 2 API and 2 web pods,
// Postgres, Redis and MinIO), on a node of two CPUs. Every pod Ready on the first try, no
// restart, no failed Job, no Warning event; `helm test`; then a customer and an agent in
// Chromium through TLS.
import { uniqueId } from '@helpdesk/harness'
import { afterAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { openTab, signIn } from '../browser/support/browser.ts'
import { helm, kubectlJson, pods, restarts, unexpectedWarnings } from './support/cluster.ts'
import { type Edge, edgeBrowser, startEdge } from './support/edge.ts'
import {
  addPeople,
  installRelease,
  type People,
  type Release,
  uninstallRelease,
} from './support/release.ts'

let release: Release
let people: People
let edge: Edge | undefined
let browser: Browser | undefined

afterAll(async () => {
  await browser?.close()
  await edge?.stop()
  await uninstallRelease(release)
})

interface Job {
  metadata: { name: string }
  status: { succeeded?: number; failed?: number }
}

describe('charts/helpdesk with its defaults', () => {
  it('installs with every pod Ready at once: no restart, no failed Job, no unexplained Warning event', async () => {
    release = await installRelease('defaults')
    process.stderr.write(
      `[cluster] helm install --wait --wait-for-jobs (defaults): ${release.installSeconds} s\n`,
    )
    const running = await pods(release.namespace)
    const notReady = running
      .filter((pod) => pod.status.phase !== 'Succeeded')
      .filter(
        (pod) =>
          pod.status.conditions?.find((condition) => condition.type === 'Ready')?.status !== 'True',
      )
      .map((pod) => pod.metadata.name)
    expect(notReady).toEqual([])
    expect(await restarts(release.namespace)).toEqual([])
    const jobs = await kubectlJson<{ items: Job[] }>([
      'get',
      'jobs',
      `--namespace=${release.namespace}`,
    ])
    expect(jobs.items.map((job) => [job.metadata.name, job.status.failed ?? 0])).toEqual(
      jobs.items.map((job) => [job.metadata.name, 0]),
    )
    expect(await unexpectedWarnings(release.namespace)).toEqual([])
  })

  it('passes helm test', async () => {
    const output = await helm([
      'test',
      release.name,
      `--namespace=${release.namespace}`,
      '--timeout=5m',
    ])
    expect(output).toMatch(/Phase:\s+Succeeded/)
    expect(output).not.toMatch(/Phase:\s+Failed/)
  })

  it('serves a customer and an agent in a browser through TLS', async () => {
    people = await addPeople(release)
    edge = await startEdge(release)
    browser = await edgeBrowser()
    const subject = `Printer on floor ${uniqueId()} is jammed`
    const reply = 'We sent a technician; it works again.'

    const customer = await openTab(browser, undefined, { ignoreHTTPSErrors: true })
    await signIn(customer.page, edge.url, people.customer)
    await customer.page.getByRole('link', { name: 'New request' }).click()
    await customer.page.getByLabel('Subject').fill(subject)
    await customer.page.getByLabel('How can we help?').fill('It stops after every page.')
    await customer.page.getByRole('button', { name: 'Submit request' }).click()
    await customer.page.waitForURL(/\/requests\/(?!new$)[^/]+$/)
    await customer.page.getByRole('heading', { level: 1, name: subject }).waitFor()

    const agent = await openTab(browser, undefined, { ignoreHTTPSErrors: true })
    await signIn(agent.page, edge.url, people.agent)
    // A new ticket is unassigned: not in the agent's own queue, found by search.
    await agent.page.getByLabel('Search tickets').fill(subject)
    await agent.page.getByLabel('Search tickets').press('Enter')
    await agent.page.getByRole('link', { name: subject }).click()
    const composer = agent.page.getByRole('form', { name: 'Reply or add a note' })
    await composer.getByLabel('Your reply').fill(reply)
    await composer.getByRole('button', { name: 'Send reply' }).click()
    await agent.page.getByRole('status').filter({ hasText: 'Reply sent.' }).waitFor()

    await customer.page.reload()
    await customer.page.getByRole('list', { name: 'Conversation' }).getByText(reply).waitFor()
    expect([...customer.problems, ...agent.problems]).toEqual([])
  })
})
