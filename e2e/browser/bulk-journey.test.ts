// An agent changing several tickets at once in a real browser against the real stack: ticks
// three tickets of a queue (the count is announced), raises their priority, then assigns them
// to themself, and reads the outcome in words; the ticket left unticked is untouched. Then the
// queue as a compact table, kept across a reload and usable at phone width.

import { launchBrowser } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { ApiSession, enrolledAdmin } from './support/api.ts'
import { checkPage, DESKTOP, openTab, PHONE, signIn, type Tab } from './support/browser.ts'
import { type Account, newAccount, type Stack, startStack } from './support/stack.ts'

interface Ticket {
  id: string
  number: number
  subject: string
  priority: string
  assignee: { name: string } | null
}

let stack: Stack
let browser: Browser
let agentTab: Tab
let admin: ApiSession
const filed: Ticket[] = []
const agent: Account = newAccount('agent')
const customer: Account = newAccount('carla')

beforeAll(async () => {
  stack = await startStack('bulk')
  browser = await launchBrowser()
  agentTab = await openTab(browser)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

describe('an agent changing several tickets at once', () => {
  it('starts with four tickets of one customer, filed through the API', async () => {
    admin = await enrolledAdmin(stack.url, stack.admin)
    await admin.request('POST', '/users', { ...agent, name: 'Ada Agent', role: 'agent' })
    await admin.request('POST', '/users', { ...customer, name: 'Carla Jones', role: 'customer' })
    const carla = new ApiSession(stack.url)
    await carla.login(customer)
    for (const subject of ['Printer jams', 'Scanner is slow', 'Fax is silent', 'Coffee machine']) {
      filed.push(await carla.request<Ticket>('POST', '/tickets', { subject, body: 'Please help.' }))
    }
  })

  it('selects three tickets in a queue and raises their priority', async () => {
    const { page } = agentTab
    await signIn(page, stack.url, agent)
    await page.goto(`${stack.url}/tickets?queue=open`)
    const chosen = filed.slice(0, 3)
    for (const ticket of chosen) {
      await page
        .getByRole('checkbox', { name: `Select #${ticket.number} ${ticket.subject}` })
        .check()
    }
    await page.getByRole('status').filter({ hasText: '3 tickets selected' }).waitFor()
    const form = page.getByRole('form', { name: 'Change the selected tickets' })
    await form.getByLabel('Change').selectOption({ label: 'Set priority' })
    await form.getByLabel('Priority').selectOption({ label: 'High' })
    await checkPage(page, '30-queue-bulk-selection')
    await form.getByRole('button', { name: 'Apply to 3 tickets' }).click()
    await page.getByText('3 tickets updated.').waitFor()
  })

  it('assigns the same three to themself, and sees the list follow', async () => {
    const { page } = agentTab
    const form = page.getByRole('form', { name: 'Change the selected tickets' })
    await form.getByLabel('Change').selectOption({ label: 'Assign to' })
    await form.getByLabel('Assignee').selectOption({ label: 'Me' })
    await form.getByRole('button', { name: 'Apply to 3 tickets' }).click()
    // The refreshed list shows the new assignee on each of the three, and only on them.
    const assigned = page.getByText('Assigned to Ada Agent')
    await assigned.nth(2).waitFor()
    expect(await assigned.count()).toBe(3)
    await page.getByText('3 tickets updated.').waitFor()
    await checkPage(page, '31-queue-bulk-result')

    for (const [index, { id }] of filed.entries()) {
      const now = await admin.request<Ticket>('GET', `/tickets/${id}`)
      expect([now.priority, now.assignee?.name ?? null]).toEqual(
        index < 3 ? ['high', 'Ada Agent'] : ['normal', null],
      )
    }
    expect(agentTab.problems).toEqual([])
  })

  it('switches the queue to the compact table, kept after a reload and fitting a phone', async () => {
    const { page } = agentTab
    await page.getByRole('radio', { name: 'Compact table' }).check()
    const table = page.getByRole('table', { name: 'Tickets' })
    // A header row and one row per ticket.
    expect(await table.getByRole('row').count()).toBe(filed.length + 1)
    await checkPage(page, '32-queue-compact-table')
    await page.reload()
    await table.getByRole('link', { name: 'Coffee machine' }).waitFor()
    await page.setViewportSize(PHONE)
    await checkPage(page, '33-queue-compact-table-phone')
    await page.setViewportSize(DESKTOP)
    expect(agentTab.problems).toEqual([])
  })
})
