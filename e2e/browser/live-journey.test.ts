// Live updates in two browser contexts against the real stack (nginx in front of the API):
// an agent and a customer each have the ticket open, and what one sends appears for the other
// without a reload; an internal note never does for the customer; a new ticket appears in the
// agent's queue with its count.

import { launchBrowser, uniqueId } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { ApiSession, enrolledAdmin } from './support/api.ts'
import { checkPage, openTab, signIn, type Tab } from './support/browser.ts'
import { type Account, newAccount, type Stack, startStack } from './support/stack.ts'

let stack: Stack
let browser: Browser
const agent: Account = newAccount('ada')
const customer: Account = newAccount('cleo')
const keyword = `live${uniqueId()}`
let agentTab: Tab
let customerTab: Tab
let customerApi: ApiSession
let agentApi: ApiSession
let ticketId = ''

beforeAll(async () => {
  stack = await startStack('live')
  browser = await launchBrowser()
  agentTab = await openTab(browser)
  customerTab = await openTab(browser)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** Counts full page loads: a live update must not be one. */
async function loadsDuring(tab: Tab, action: () => Promise<void>): Promise<number> {
  let loads = 0
  const count = () => {
    loads++
  }
  tab.page.on('load', count)
  try {
    await action()
  } finally {
    tab.page.off('load', count)
  }
  return loads
}

describe('live updates between an agent and a customer', () => {
  it('starts with an agent, a customer and the customer’s ticket, made through the API', async () => {
    const admin = await enrolledAdmin(stack.url, stack.admin)
    await admin.request('POST', '/users', { ...agent, name: 'Ada Agent', role: 'agent' })
    await admin.request('POST', '/users', { ...customer, name: 'Cleo Customer', role: 'customer' })
    customerApi = new ApiSession(stack.url)
    await customerApi.login(customer)
    agentApi = new ApiSession(stack.url)
    await agentApi.login(agent)
    const ticket = await customerApi.request<{ id: string }>('POST', '/tickets', {
      subject: `Cannot print the ${keyword} report`,
      body: 'The print button does nothing.',
    })
    ticketId = ticket.id
  })

  it('shows the customer’s reply in the agent’s open ticket, and the agent’s reply to the customer', async () => {
    await signIn(agentTab.page, stack.url, agent)
    await agentTab.page.goto(`${stack.url}/tickets/${ticketId}`)
    await agentTab.page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()
    await signIn(customerTab.page, stack.url, customer)
    await customerTab.page.goto(`${stack.url}/requests/${ticketId}`)
    await customerTab.page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()

    const fromCustomer = `Still broken after a restart (${uniqueId()})`
    const agentLoads = await loadsDuring(agentTab, async () => {
      const composer = customerTab.page.getByRole('form', { name: 'Reply' })
      await composer.getByLabel('Your reply').fill(fromCustomer)
      await composer.getByRole('button', { name: 'Send reply' }).click()
      await agentTab.page
        .getByRole('list', { name: 'Conversation' })
        .getByRole('article')
        .filter({ hasText: fromCustomer })
        .waitFor()
    })
    expect(agentLoads).toBe(0)

    const fromAgent = `We are looking at the printer queue (${uniqueId()})`
    const customerLoads = await loadsDuring(customerTab, async () => {
      const composer = agentTab.page.getByRole('form', { name: 'Reply or add a note' })
      await composer.getByLabel('Your reply').fill(fromAgent)
      await composer.getByRole('button', { name: 'Send reply' }).click()
      await customerTab.page
        .getByRole('list', { name: 'Conversation' })
        .getByRole('article')
        .filter({ hasText: fromAgent })
        .waitFor()
    })
    expect(customerLoads).toBe(0)
    // The agent's reply opened the ticket: the customer's page says so without a reload.
    await customerTab.page.getByText('Open', { exact: true }).waitFor()
    await checkPage(agentTab.page, 'live-01-agent-ticket')
    await checkPage(customerTab.page, 'live-02-customer-request')
  })

  it('never shows the customer an internal note, and shows the reply after it', async () => {
    const note = `Internal: printer firmware ${uniqueId()}`
    const after = `Please try again now (${uniqueId()})`
    await agentApi.request('POST', `/tickets/${ticketId}/messages`, { body: note, internal: true })
    await agentApi.request('POST', `/tickets/${ticketId}/messages`, { body: after })
    await customerTab.page.getByText(after).waitFor()
    expect(await customerTab.page.getByText(note).count()).toBe(0)
    // The agent's page shows both, the note marked as one.
    await agentTab.page.getByText(note).waitFor()
  })

  it('puts a new ticket in the agent’s queue and counts it, without a reload', async () => {
    await agentTab.page.goto(`${stack.url}/tickets?queue=unassigned`)
    await agentTab.page.getByRole('heading', { name: 'Unassigned' }).waitFor()
    const queues = agentTab.page.getByRole('navigation', { name: 'Queues' })
    const counted = await queues
      .getByRole('link', { name: /^Unassigned \d+ tickets?$/ })
      .textContent()
    const before = Number(/\d+/.exec(counted ?? '')?.[0])
    const subject = `Scanner jams on ${keyword} ${uniqueId()}`
    const loads = await loadsDuring(agentTab, async () => {
      await customerApi.request('POST', '/tickets', { subject, body: 'Paper everywhere.' })
      await agentTab.page.getByRole('link', { name: new RegExp(subject) }).waitFor()
      await queues.getByRole('link', { name: `Unassigned ${before + 1} tickets` }).waitFor()
      // The heading's count of the view on screen follows too.
      await agentTab.page
        .locator('.view-count')
        .filter({ hasText: `${before + 1} tickets` })
        .waitFor()
    })
    expect(loads).toBe(0)
    await checkPage(agentTab.page, 'live-03-agent-queue')
  })

  it('ran without a CSP violation or script error', () => {
    expect([...agentTab.problems, ...customerTab.problems]).toEqual([])
  })
})
