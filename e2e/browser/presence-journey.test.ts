// Collision detection in two browser contexts against the real stack (nginx in front of the
// API): two agents on the same ticket see each other viewing, then replying while one types;
// when one agent's reply arrives while the other writes, the other is warned before sending,
// reviews it, and then sends; leaving the page or closing the tab takes an agent off the
// other's screen at once.

import { launchBrowser, uniqueId } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser, Page } from 'playwright-core'
import { ApiSession, enrolledAdmin } from './support/api.ts'
import { checkPage, openTab, signIn, type Tab } from './support/browser.ts'
import { type Account, newAccount, type Stack, startStack } from './support/stack.ts'

let stack: Stack
let browser: Browser
const ada: Account = newAccount('ada')
const bob: Account = newAccount('bob')
const keyword = `presence${uniqueId()}`
let adaTab: Tab
let bobTab: Tab
let ticketId = ''

beforeAll(async () => {
  stack = await startStack('presence')
  browser = await launchBrowser()
  adaTab = await openTab(browser)
  bobTab = await openTab(browser)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** The line under the conversation heading that names who else is on the ticket. */
const presenceLine = (page: Page) => page.locator('.presence-line[role="status"]')
const composer = (page: Page) => page.getByRole('form', { name: 'Reply or add a note' })

describe('two agents on one ticket', () => {
  it('starts with two agents and a customer’s ticket, made through the API', async () => {
    const admin = await enrolledAdmin(stack.url, stack.admin)
    await admin.request('POST', '/users', { ...ada, name: 'Ada Agent', role: 'agent' })
    await admin.request('POST', '/users', { ...bob, name: 'Bob Agent', role: 'agent' })
    const customer: Account = newAccount('cleo')
    await admin.request('POST', '/users', { ...customer, name: 'Cleo Customer', role: 'customer' })
    const customerApi = new ApiSession(stack.url)
    await customerApi.login(customer)
    const ticket = await customerApi.request<{ id: string }>('POST', '/tickets', {
      subject: `Charged twice for ${keyword}`,
      body: 'My card shows two payments.',
    })
    ticketId = ticket.id
  })

  it('shows each agent the other viewing, and replying while the other types', async () => {
    await signIn(bobTab.page, stack.url, bob)
    await bobTab.page.goto(`${stack.url}/tickets/${ticketId}`)
    await bobTab.page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()
    await signIn(adaTab.page, stack.url, ada)
    await adaTab.page.goto(`${stack.url}/tickets/${ticketId}`)
    await adaTab.page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()

    await presenceLine(bobTab.page).filter({ hasText: 'Ada Agent is viewing.' }).waitFor()
    await presenceLine(adaTab.page).filter({ hasText: 'Bob Agent is viewing.' }).waitFor()

    await composer(adaTab.page).getByLabel('Your reply').fill('One of the payments is a hold')
    await presenceLine(bobTab.page).filter({ hasText: 'Ada Agent is replying.' }).waitFor()
    await checkPage(bobTab.page, 'presence-01-replying')
  })

  it('warns Bob before sending when Ada’s reply arrived while he wrote', async () => {
    const bobsDraft = composer(bobTab.page).getByLabel('Your reply')
    await bobsDraft.fill('I have refunded the second payment')
    await presenceLine(adaTab.page).filter({ hasText: 'Bob Agent is replying.' }).waitFor()

    await composer(adaTab.page).getByRole('button', { name: 'Send reply' }).click()
    const adasReply = bobTab.page
      .getByRole('list', { name: 'Conversation' })
      .getByRole('article')
      .filter({ hasText: 'One of the payments is a hold' })
    await adasReply.waitFor()
    // Her draft is sent: she is viewing again.
    await presenceLine(bobTab.page).filter({ hasText: 'Ada Agent is viewing.' }).waitFor()

    await composer(bobTab.page).getByRole('button', { name: 'Send reply' }).click()
    const warning = composer(bobTab.page).getByRole('alert')
    await warning.filter({ hasText: 'A new message arrived while you were writing.' }).waitFor()
    expect(await warning.getByRole('listitem').textContent()).toBe(
      'Ada Agent replied: “One of the payments is a hold”',
    )
    await checkPage(bobTab.page, 'presence-02-warning')

    await warning.getByRole('button', { name: 'Review first' }).click()
    await warning.waitFor({ state: 'detached' })
    expect(await bobsDraft.inputValue()).toBe('I have refunded the second payment')
    // Only Ada's reply and the customer's question: Bob's draft was not sent.
    expect(
      await bobTab.page.getByRole('list', { name: 'Conversation' }).getByRole('article').count(),
    ).toBe(2)

    await bobsDraft.fill('You are right, Ada: the second one is only a hold and will vanish')
    await composer(bobTab.page).getByRole('button', { name: 'Send reply' }).click()
    await adaTab.page.getByText('the second one is only a hold and will vanish').waitFor()
  })

  it('takes an agent who leaves the page off the other’s screen', async () => {
    await adaTab.page.getByRole('link', { name: 'Tickets', exact: true }).first().click()
    await bobTab.page.waitForFunction(
      () => document.querySelector('.presence-line')?.textContent === '',
    )
  })

  it('takes an agent whose tab closes off the other’s screen (the goodbye outlives the page)', async () => {
    await adaTab.page.goto(`${stack.url}/tickets/${ticketId}`)
    await presenceLine(adaTab.page).filter({ hasText: 'Bob Agent is viewing.' }).waitFor()
    await bobTab.page.close({ runBeforeUnload: true })
    await adaTab.page.waitForFunction(
      () => document.querySelector('.presence-line')?.textContent === '',
    )
  })

  it('ran without a CSP violation or script error', () => {
    expect([...adaTab.problems, ...bobTab.problems]).toEqual([])
  })
})
