// An agent working fast in a real browser against the real stack: keeps a canned response of
// their own, inserts the admins' shared one into a reply by typing its shortcut (keyboard
// only: arrows and Enter), with the customer's name and the ticket's number filled in, and
// sends the reply and solves the ticket in one step. Then works a queue from the keyboard:
// j/k through the queue and its tickets, a (assign to me), n and r (note, reply), u (back),
// / (search) and ? (the shortcuts overlay). Last, keeps a filtered queue as a view of their
// own, opens it from "Your views" after a reload, and deletes it.

import { launchBrowser } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { ApiSession, enrolledAdmin } from './support/api.ts'
import { checkPage, openTab, signIn, type Tab } from './support/browser.ts'
import { type Account, newAccount, type Stack, startStack } from './support/stack.ts'

let stack: Stack
let browser: Browser
let agentTab: Tab
let admin: ApiSession
let ticket: { id: string; number: number }
const agent: Account = newAccount('agent')
const customer: Account = newAccount('carla')

beforeAll(async () => {
  stack = await startStack('agent-speed')
  browser = await launchBrowser()
  agentTab = await openTab(browser)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

describe('an agent answering with a canned response', () => {
  it('starts with a shared response and a customer’s ticket, set up through the API', async () => {
    admin = await enrolledAdmin(stack.url, stack.admin)
    await admin.request('POST', '/users', { ...agent, name: 'Ada Agent', role: 'agent' })
    await admin.request('POST', '/users', { ...customer, name: 'Carla Jones', role: 'customer' })
    await admin.request('POST', '/canned-responses', {
      shortcut: 'thanks',
      title: 'Thanks, fixed',
      body: 'Hi {{customer.firstName}}, ticket #{{ticket.number}} is fixed.\n\n{{agent.name}}',
      shared: true,
    })
    const carla = new ApiSession(stack.url)
    await carla.login(customer)
    ticket = await carla.request('POST', '/tickets', {
      subject: 'The printer prints blank pages',
      body: 'Since this morning every page comes out blank.',
    })
  })

  it('keeps a response of their own on the canned responses page', async () => {
    const { page } = agentTab
    await signIn(page, stack.url, agent)
    await page.getByRole('link', { name: 'Canned responses' }).click()
    await page.getByRole('heading', { name: 'Canned responses', level: 1 }).waitFor()
    await page.getByText('Thanks, fixed').waitFor()
    // A placeholder that does not exist is refused, named, at the text.
    await page.getByLabel('Shortcut', { exact: true }).fill('later')
    await page.getByLabel('Title').fill('Back later')
    await page.getByLabel(/^Text/).fill('I will get back to you, {{customer.nmae}}.')
    await page.getByRole('button', { name: 'Add response' }).click()
    await page.getByText('Unknown placeholder {{customer.nmae}}.').waitFor()
    await page.getByLabel(/^Text/).fill('I will get back to you, {{customer.firstName}}.')
    await page.getByRole('button', { name: 'Add response' }).click()
    await page.getByText('Response ::later added.').waitFor()
    const yours = page.getByRole('region', { name: 'Yours' })
    await yours.getByText('Back later').waitFor()
    await checkPage(page, '20-canned-responses')
  })

  it('inserts the shared response by its shortcut, filled in, and sends it solving the ticket', async () => {
    const { page } = agentTab
    await page.goto(`${stack.url}/tickets/${ticket.id}`)
    const reply = page.getByLabel('Your reply')
    await reply.click()
    await page.keyboard.type('::t')
    const options = page.getByRole('listbox', { name: 'Canned responses' }).getByRole('option')
    await options.first().waitFor()
    // Shortcuts that start with it first, then titles that hold it.
    expect(await options.allTextContents()).toEqual([
      '::thanks Thanks, fixed shared',
      '::later Back later yours',
    ])
    await checkPage(page, '21-composer-canned-menu')
    await page.keyboard.press('ArrowDown')
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('Enter')
    const filled = `Hi Carla, ticket #${ticket.number} is fixed.\n\nAda Agent`
    // The list closes once the response is in the text.
    await page.getByRole('listbox').waitFor({ state: 'detached' })
    expect(await reply.inputValue()).toBe(filled)
    await page.keyboard.type(' :)')
    await page.getByRole('button', { name: 'Send and mark solved' }).click()
    await page.getByText('Reply sent and the ticket marked solved.').waitFor()
    await checkPage(page, '22-sent-and-solved')

    const current = await admin.request<{ status: string }>('GET', `/tickets/${ticket.id}`)
    expect(current.status).toBe('solved')
    const messages = await admin.request<{ items: { body: string }[] }>(
      'GET',
      `/tickets/${ticket.id}/messages`,
    )
    expect(messages.items.map((message) => message.body).at(-1)).toBe(`${filled} :)`)
    expect(agentTab.problems).toEqual([])
  })
})

describe('an agent working from the keyboard', () => {
  const subjects = ['Keyboard one: scanner offline', 'Keyboard two: scanner jams']
  const focusedText = () =>
    agentTab.page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')

  it('moves through a queue with j and k and opens a ticket with Enter', async () => {
    const carla = new ApiSession(stack.url)
    await carla.login(customer)
    for (const subject of subjects) {
      await carla.request('POST', '/tickets', { subject, body: 'The scanner needs help.' })
    }
    const { page } = agentTab
    await page.goto(`${stack.url}/tickets?queue=unassigned&q=keyboard`)
    await page.getByText(subjects[0] as string).waitFor()
    const links = page.locator('.ticket-row-subject a')
    const order = (await links.allTextContents()).map((text) => text.trim())
    expect(order).toHaveLength(2)
    await page.keyboard.press('j')
    expect(await focusedText()).toBe(order[0])
    await page.keyboard.press('j')
    expect(await focusedText()).toBe(order[1])
    await page.keyboard.press('k')
    expect(await focusedText()).toBe(order[0])
    await page.keyboard.press('Enter')
    await page
      .getByRole('heading', { level: 1 })
      .filter({ hasText: /Keyboard/ })
      .waitFor()
  })

  it('assigns the ticket, starts a note or a reply, and walks the queue it came from', async () => {
    const { page } = agentTab
    const heading = page.getByRole('heading', { level: 1 })
    const first = (await heading.textContent()) ?? ''
    await page.keyboard.press('a')
    await page.getByText('Assignee saved.').waitFor()
    const id = page.url().split('/').at(-1) as string
    const assigned = await admin.request<{ assignee: { name: string } | null }>(
      'GET',
      `/tickets/${id}`,
    )
    expect(assigned.assignee?.name).toBe('Ada Agent')

    await page.keyboard.press('n')
    const note = page.getByLabel('Internal note (only agents can see it)')
    expect(await note.evaluate((element) => element === document.activeElement)).toBe(true)
    // Letters typed in the composer are text, not shortcuts.
    await page.keyboard.type('jak')
    expect(await note.inputValue()).toBe('jak')
    expect(page.url()).toContain(id)
    await note.fill('')
    await heading.click()
    await page.keyboard.press('r')
    const reply = page.getByLabel('Your reply')
    expect(await reply.evaluate((element) => element === document.activeElement)).toBe(true)

    await heading.click()
    await page.keyboard.press('j')
    await page.waitForURL((url) => !url.pathname.endsWith(id))
    await heading
      .filter({ hasNotText: first })
      .filter({ hasText: /Keyboard/ })
      .waitFor()
    await page.keyboard.press('j')
    await page.getByText('No next ticket in the queue you came from.').waitFor()
    await page.keyboard.press('k')
    await page.waitForURL((url) => url.pathname.endsWith(id))
    await page.keyboard.press('u')
    await page.waitForURL((url) => url.pathname === '/tickets')
    expect(new URL(page.url()).searchParams.get('queue')).toBe('unassigned')
  })

  it('jumps to search with / and lists every shortcut with ?', async () => {
    const { page } = agentTab
    await page.getByRole('heading', { level: 1, name: 'Search results' }).waitFor()
    await page.keyboard.press('/')
    const search = page.getByLabel('Search tickets')
    expect(await search.evaluate((element) => element === document.activeElement)).toBe(true)
    await page.keyboard.type('j?')
    // The search box holds the query; typed letters add to it.
    expect(await search.inputValue()).toBe('keyboardj?')
    await page.getByRole('heading', { level: 1 }).click()
    await page.keyboard.press('?')
    const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await overlay.waitFor()
    expect(await overlay.getByRole('row').count()).toBe(9)
    await overlay.getByRole('row', { name: /Assign the ticket to me/ }).waitFor()
    await checkPage(page, '23-keyboard-shortcuts')
    await page.keyboard.press('Escape')
    await overlay.waitFor({ state: 'hidden' })
    expect(agentTab.problems).toEqual([])
  })
})

describe('an agent keeping a view of their own', () => {
  const name = 'Normal, newest first'

  it('saves the filtered queue as a view and finds it under Your views after a reload', async () => {
    const { page } = agentTab
    await page.goto(`${stack.url}/tickets?queue=all`)
    await page.getByRole('heading', { level: 1, name: 'All tickets' }).waitFor()
    await page.getByText('Filters', { exact: true }).click()
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('normal')
    await page.waitForURL((url) => url.searchParams.get('priority') === 'normal')
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('created')
    await page.waitForURL((url) => url.searchParams.get('sort') === 'created')

    const save = page.getByRole('button', { name: 'Save view' })
    await save.click()
    const dialog = page.getByRole('dialog', { name: 'Save view' })
    await dialog.getByLabel('Name').fill(name)
    await checkPage(page, '24-save-view-dialog')
    await dialog.getByRole('button', { name: 'Save view' }).click()
    await page.getByText(`View “${name}” saved.`).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    // The dialog hands the focus back to the button that opened it.
    expect(await save.evaluate((button) => button === document.activeElement)).toBe(true)
    const nav = page.getByRole('navigation', { name: 'Queues' })
    await nav.getByRole('link', { name }).waitFor()

    await page.reload()
    await page.getByRole('link', { name: 'All open' }).click()
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor()
    await nav.getByRole('link', { name }).click()
    await page.getByRole('heading', { level: 1, name }).waitFor()
    const opened = new URL(page.url()).searchParams
    expect([opened.get('priority'), opened.get('sort'), opened.get('status')]).toEqual([
      'normal',
      'created',
      null,
    ])
    expect(await nav.getByRole('link', { name }).getAttribute('aria-current')).toBe('page')
    await checkPage(page, '25-saved-view')
  })

  it('is named only while its filters are unchanged, and is deleted from the queue page', async () => {
    const { page } = agentTab
    const priority = page.getByRole('combobox', { name: 'Priority' })
    await priority.selectOption('high')
    await page.getByRole('heading', { level: 1, name: 'All tickets' }).waitFor()
    await priority.selectOption('normal')
    await page.getByRole('heading', { level: 1, name }).waitFor()

    await page.getByRole('button', { name: 'Delete view' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete view' })
    await confirm.getByRole('button', { name: 'Delete view' }).click()
    await page.getByText(`View “${name}” deleted.`).waitFor()
    await page.getByRole('heading', { level: 1, name: 'All tickets' }).waitFor()
    const save = page.getByRole('button', { name: 'Save view' })
    expect(await save.evaluate((button) => button === document.activeElement)).toBe(true)
    await page.getByText('None yet: filter the queue, then Save view.').waitFor()

    const ada = new ApiSession(stack.url)
    await ada.login(agent)
    expect(await ada.request('GET', '/saved-views')).toEqual({ items: [] })
    expect(agentTab.problems).toEqual([])
  })
})
