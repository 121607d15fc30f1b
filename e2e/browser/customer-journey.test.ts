// A customer's own account in a real browser against the real stack: the new-request form
// offers only the priorities admins allow customers, their messages' Markdown is formatted
// safely (under the seed's CSP), and they download everything stored about them (their own
// data only, audited as done by them).

import { readFileSync } from 'node:fs'
import { launchBrowser } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { type ApiSession, enrolledAdmin } from './support/api.ts'
import { checkPage, openTab, signIn, type Tab } from './support/browser.ts'
import { type Account, newAccount, type Stack, startStack } from './support/stack.ts'

let stack: Stack
let browser: Browser
let tab: Tab
let admin: ApiSession
let customerId = ''
const customer: Account = newAccount('cora')

beforeAll(async () => {
  stack = await startStack('customer')
  browser = await launchBrowser()
  tab = await openTab(browser)
  admin = await enrolledAdmin(stack.url, stack.admin)
  const created = await admin.request<{ id: string }>('POST', '/users', {
    ...customer,
    name: 'Cora Customer',
    role: 'customer',
  })
  customerId = created.id
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

const priorityOptions = async () =>
  (await tab.page.getByLabel('Priority').locator('option').allTextContents()).map((text) =>
    text.trim(),
  )

describe('a customer', () => {
  it('may choose low, normal or high priority by default, not urgent', async () => {
    const { page } = tab
    await signIn(page, stack.url, customer)
    await page.getByRole('link', { name: 'New request' }).click()
    await page.getByRole('heading', { name: 'New request' }).waitFor()
    expect(await priorityOptions()).toEqual(['Low', 'Normal', 'High'])
    expect(await page.getByLabel('Priority').inputValue()).toBe('normal')
    await checkPage(page, '41-customer-new-request-priorities')
  })

  it('may choose what the admins offer, urgent included once it is offered', async () => {
    const { page } = tab
    await admin.request('PUT', '/settings', { customerPriorities: ['high', 'urgent'] })
    await page.reload()
    await page.getByRole('heading', { name: 'New request' }).waitFor()
    await page
      .getByLabel('Priority')
      .locator('option', { hasText: 'Urgent' })
      .waitFor({ state: 'attached' })
    expect(await priorityOptions()).toEqual(['High', 'Urgent'])
    // Normal is not offered: the form starts at the lowest offered priority.
    expect(await page.getByLabel('Priority').inputValue()).toBe('high')
    await page.getByLabel('Subject').fill('The whole office is offline')
    await page.getByLabel('How can we help?').fill('Nobody can reach the network since 9:00.')
    await page.getByLabel('Priority').selectOption('urgent')
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL(/\/requests\/(?!new$)[^/]+$/)
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'offline' }).waitFor()
    const ticketId = new URL(page.url()).pathname.split('/').pop()
    expect(await admin.request('GET', `/tickets/${ticketId}`)).toMatchObject({
      priority: 'urgent',
    })
  })

  it('sees their Markdown formatted, its links safe, and its HTML as plain text', async () => {
    const { page } = tab
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My requests' })
      .click()
    await page.getByRole('link', { name: 'New request' }).click()
    await page.getByLabel('Subject').fill('Printer queue stuck')
    await page
      .getByLabel('How can we help?')
      .fill(
        'The **second floor** printer:\n\n- shows `E42`\n- ignores jobs\n\n' +
          'See [the status page](https://status.example.com/printers).\n\n' +
          '<img src="https://tracker.example/pixel.png" onerror="alert(1)">',
      )
    await page.getByRole('button', { name: 'Submit request' }).click()
    await page.waitForURL(/\/requests\/(?!new$)[^/]+$/)
    const body = page.locator('.message-body.markdown')
    await body.waitFor()
    expect(await body.locator('strong').textContent()).toBe('second floor')
    expect(await body.locator('li').allTextContents()).toEqual(['shows E42', 'ignores jobs'])
    const link = body.getByRole('link', { name: 'the status page' })
    expect(await link.getAttribute('href')).toBe('https://status.example.com/printers')
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer')
    expect(await link.getAttribute('target')).toBe('_blank')
    // What looks like HTML is shown as typed: nothing loads, nothing runs.
    expect(await body.locator('img, script, [onerror], [style]').count()).toBe(0)
    expect(await body.textContent()).toContain('<img src="https://tracker.example/pixel.png"')
    await checkPage(page, '42-customer-markdown')
  })

  it('downloads their own data from the account page, and the export is audited', async () => {
    const { page } = tab
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Account' })
      .click()
    await page.getByRole('heading', { name: 'Your data' }).waitFor()
    await checkPage(page, '40-customer-account')
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download my data' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('my-helpdesk-data.json')
    const data = JSON.parse(readFileSync(await file.path(), 'utf8'))
    expect(data).toMatchObject({
      userId: customerId,
      profile: { email: customer.email, name: 'Cora Customer', role: 'customer' },
    })
    await page.getByText('Your data was downloaded as my-helpdesk-data.json.').waitFor()

    const audited = await admin.request<{
      items: { actor: { id: string } | null; targetId: string }[]
    }>('GET', '/audit-events?action=user.exported&limit=1')
    expect(audited.items[0]).toMatchObject({ actor: { id: customerId }, targetId: customerId })
  })

  it('ran without a CSP violation or script error', () => {
    expect(tab.problems).toEqual([])
  })
})
