// A ticket's life in a real browser against the real stack: a customer signs up and files a
// ticket with an attachment; an agent finds it by search, replies, adds an internal note and
// edits it; the customer sees the reply but never the note, and marks it solved.

import { launchBrowser, uniqueId } from '@helpdesk/harness'
import { seedSecurityHeaders } from '@helpdesk/web/nginx'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { ApiSession, enrolledAdmin } from './support/api.ts'
import {
  checkPage,
  DESKTOP,
  failuresDuring,
  openTab,
  PHONE,
  signIn,
  type Tab,
} from './support/browser.ts'
import { type Account, newAccount, type Stack, startStack } from './support/stack.ts'

let stack: Stack
let browser: Browser
const agent: Account = newAccount('agent')
const customer: Account = newAccount('carla')
const keyword = `flux${uniqueId()}`
/** A valid one-pixel PNG: a picture the conversation previews. */
const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
const subject = `Invoice export fails with ${keyword}: ${'averyverylongwordwithoutanyspaces'.repeat(3)}`
const reply = 'Thanks Carla, we found the cause and fixed the export.'
const note = `Internal: caused by the ${keyword} migration, see runbook 12.`
const tags = Array.from({ length: 12 }, (_, index) => `label-number-${index}`)
let customerTab: Tab
let agentTab: Tab
let admin: ApiSession
let ticketPath = ''

beforeAll(async () => {
  stack = await startStack('journey')
  browser = await launchBrowser()
  customerTab = await openTab(browser)
  agentTab = await openTab(browser)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

describe('a ticket from customer to agent and back', () => {
  it('starts with an agent and self sign-up, set up by the admin through the API', async () => {
    admin = await enrolledAdmin(stack.url, stack.admin)
    await admin.request('POST', '/users', { ...agent, name: 'Ada Agent', role: 'agent' })
    await admin.request('PUT', '/settings', { selfSignupEnabled: true })
  })

  it('serves the app with the seed headers on pages, assets and API answers', async () => {
    const { page } = customerTab
    const apiAnswer = page.waitForResponse((response) => response.url().includes('/api/v1/'))
    const assetAnswer = page.waitForResponse((response) => response.url().includes('/assets/'))
    // An anonymous visit learns "nobody signed in" without a failed request in the console.
    const sessionAnswer = page.waitForResponse((response) =>
      response.url().includes('/api/v1/auth/session'),
    )
    const { result: document, failures } = await failuresDuring(page, async () => {
      const answer = await page.goto(`${stack.url}/signin`)
      await page.getByRole('heading', { name: 'Sign in' }).waitFor()
      await sessionAnswer
      return answer
    })
    expect(failures).toEqual([])
    expect((await sessionAnswer).status()).toBe(200)
    const asset = await assetAnswer
    for (const response of [document, asset, await apiAnswer]) {
      const headers = await response?.allHeaders()
      for (const [name, value] of Object.entries(seedSecurityHeaders())) {
        expect({ url: response?.url(), name, value: headers?.[name] }).toEqual({
          url: response?.url(),
          name,
          value,
        })
      }
    }
    expect((await document?.allHeaders())?.['cache-control']).toBe('no-cache')
    expect((await asset.allHeaders())['cache-control']).toBe('public, max-age=31536000, immutable')
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await checkPage(page, '01-sign-in')
  })

  it('lets a customer sign up and file a ticket with an attachment', async () => {
    const { page } = customerTab
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('Name').fill('Carla Customer')
    await page.getByLabel('Email').fill(customer.email)
    // Too short: the API's reason is said once, at the field.
    await page.getByLabel('Password').fill('short')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('alert').filter({ hasText: 'At least 12 characters.' }).waitFor()
    expect(await page.getByRole('alert').allTextContents()).toEqual(['At least 12 characters.'])
    expect(await page.getByText('invalid body').count()).toBe(0)
    await checkPage(page, '02-sign-up-password-too-short')
    await page.getByLabel('Password').fill(customer.password)
    await checkPage(page, '02-sign-up')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText(`Check your mail: we sent a link to ${customer.email}`).waitFor()
    // The stack has no SMTP server: the confirmation waits in the outbox (Admin → Email).
    const outbox = await admin.request<{ items: { id: string; to: string }[] }>(
      'GET',
      '/mail/outbox',
    )
    const confirmation = outbox.items.find((item) => item.to === customer.email)
    const { text } = await admin.request<{ text: string }>(
      'GET',
      `/mail/outbox/${confirmation?.id}`,
    )
    const link = /https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(text)?.[0] ?? ''
    await page.goto(`${stack.url}${new URL(link).pathname}${new URL(link).search}`)
    await page.getByText('Your address is confirmed').waitFor()
    await signIn(page, stack.url, customer)
    await page.getByRole('heading', { name: 'My requests' }).waitFor()
    await page.getByText('You have no requests yet').waitFor()
    await checkPage(page, '03-customer-requests-empty')

    await page.getByRole('link', { name: 'New request' }).click()
    await page.getByLabel('Subject').fill(subject)
    await page.getByLabel('How can we help?').fill('The export button shows an error since Monday.')
    // The stack allows 1 MiB per file: the page says so before anything is uploaded.
    await page.getByLabel('Attach files').setInputFiles({
      name: 'screen-recording.webm',
      mimeType: 'video/webm',
      buffer: Buffer.alloc(2 * 1024 * 1024, 1),
    })
    await page
      .getByRole('alert')
      .filter({ hasText: 'screen-recording.webm is 2.0 MB; files can be at most 1.0 MB.' })
      .waitFor()
    await checkPage(page, '04-customer-attachment-too-large')
    await page.getByRole('button', { name: 'Remove screen-recording.webm' }).click()
    await page.getByLabel('Attach files').setInputFiles([
      {
        name: 'export-error.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Error 500 at /exports/invoices\n'),
      },
      { name: 'error-dialog.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG },
    ])
    await page.getByText('export-error.txt').waitFor()
    await page.getByText('error-dialog.png').waitFor()
    await checkPage(page, '04-customer-new-request')
    expect(await page.getByRole('alert').count()).toBe(0)
    await page.getByRole('button', { name: 'Submit request' }).click()

    await page.waitForURL(/\/requests\/(?!new$)[^/]+$/)
    ticketPath = new URL(page.url()).pathname.replace('/requests/', '/tickets/')
    await page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()
    const attachment = page.getByRole('link', { name: 'export-error.txt' })
    await attachment.waitFor()
    expect(await attachment.getAttribute('href')).toMatch(/^\/api\/v1\/attachments\//)
    // The picture is shown, from our own preview route, decoded by the browser.
    const preview = page.getByRole('img', { name: 'Preview of error-dialog.png' })
    await preview.waitFor()
    expect(await preview.getAttribute('src')).toMatch(/^\/api\/v1\/attachments\/[^/]+\/preview$/)
    await page.waitForFunction(
      () =>
        (document.querySelector('img[alt="Preview of error-dialog.png"]') as HTMLImageElement)
          ?.naturalWidth === 1,
    )
    await checkPage(page, '05-customer-request')
  })

  it('lets an agent find it by search, reply, add an internal note and edit it', async () => {
    const { page } = agentTab
    await signIn(page, stack.url, agent)
    await page.getByRole('heading', { name: 'My open tickets' }).waitFor()
    await page.getByRole('navigation', { name: 'Queues' }).getByText('Unassigned').waitFor()
    await checkPage(page, '06-agent-queue')

    await page.getByLabel('Search tickets').fill(keyword)
    await page.getByLabel('Search tickets').press('Enter')
    await page.getByRole('heading', { name: 'Search results' }).waitFor()
    await checkPage(page, '07-agent-search')
    await page.getByRole('link', { name: new RegExp(keyword) }).click()
    await page.waitForURL(`**${ticketPath}`)

    const composer = page.getByRole('form', { name: 'Reply or add a note' })
    await composer.getByLabel('Your reply').fill(reply)
    await composer.getByRole('button', { name: 'Send reply' }).click()
    await page.getByRole('status').filter({ hasText: 'Reply sent.' }).waitFor()

    await composer.getByRole('radio', { name: 'Internal note' }).check()
    await composer.getByLabel('Internal note (only agents can see it)').fill(note)
    await composer.getByRole('button', { name: 'Add internal note' }).click()
    await page.getByRole('status').filter({ hasText: 'Internal note added.' }).waitFor()

    const conversation = page.getByRole('list', { name: 'Conversation' })
    const noteView = conversation.getByRole('article').filter({ hasText: note })
    await noteView.getByText('Internal note').waitFor()
    expect(await noteView.getAttribute('class')).toContain('message-internal')
    const replyView = conversation.getByRole('article').filter({ hasText: reply })
    expect(await replyView.getAttribute('class')).not.toContain('message-internal')

    await page.getByLabel('Priority', { exact: true }).selectOption('high')
    await page.getByRole('status').filter({ hasText: 'Priority saved.' }).waitFor()
    await page.getByLabel('Add tags (separate with commas)').fill(tags.join(', '))
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Tags saved.' }).waitFor()
    await page
      .getByRole('list', { name: 'Tags' })
      .getByText(tags.at(-1) as string)
      .waitFor()
    await page.getByText(/changed priority from Normal to High/).waitFor()
    await checkPage(page, '08-agent-ticket')
  })

  it('asks for the password again when the session ends, keeping what the agent typed', async () => {
    const { page, context } = agentTab
    const draft = 'A draft that must survive the session ending.'
    const composer = page.getByRole('form', { name: 'Reply or add a note' })
    await composer.getByRole('radio', { name: 'Public reply' }).check()
    await composer.getByLabel('Your reply').fill(draft)
    await context.clearCookies()
    await composer.getByRole('button', { name: 'Send reply' }).click()

    const dialog = page.getByRole('dialog', { name: 'Your session has ended' })
    await dialog.waitFor()
    await checkPage(page, '09-session-expired')
    await dialog.getByLabel('Password').fill(agent.password)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await composer.getByLabel('Your reply').inputValue()).toBe(draft)
    await composer.getByLabel('Your reply').fill('')
  })

  it('finds the ticket in its queue and narrows the queue with filters', async () => {
    const { page } = agentTab
    await page.getByLabel('Assignee').selectOption({ label: 'Ada Agent' })
    await page.getByRole('status').filter({ hasText: 'Assignee saved.' }).waitFor()
    await page.getByRole('link', { name: '← Tickets' }).click()
    await page.getByRole('heading', { level: 1, name: 'My open tickets' }).waitFor()
    const row = page.getByRole('link', { name: new RegExp(keyword) })
    await row.waitFor()
    // The queue counts load after the list: wait for them rather than read them at once.
    await page
      .getByRole('navigation', { name: 'Queues' })
      .getByRole('link', { name: /My open tickets/ })
      .locator('.count', { hasText: /^1 tickets$/ })
      .waitFor()

    await page.getByText('Filters', { exact: true }).click()
    await page.getByLabel('Priority', { exact: true }).selectOption('high')
    await page.getByLabel('Tag', { exact: true }).fill(tags[3] as string)
    await page.getByLabel('Tag', { exact: true }).press('Enter')
    await page.waitForURL(/priority=high/)
    await row.waitFor()
    await page.getByLabel('Priority', { exact: true }).selectOption('low')
    await page.getByText('No tickets here').waitFor()
    await page.getByText('Try removing a filter.').waitFor()
    await checkPage(page, '09b-agent-filters-empty')
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await row.waitFor()

    // Status = Closed under "All open": the heading and count say what is listed.
    await page
      .getByRole('navigation', { name: 'Queues' })
      .getByRole('link', { name: /All open/ })
      .click()
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor()
    // Without filters in the URL the disclosure starts closed.
    if (!(await page.getByLabel('Status', { exact: true }).isVisible())) {
      await page.getByText('Filters', { exact: true }).click()
    }
    await page.getByLabel('Status', { exact: true }).selectOption('closed')
    await page.getByRole('heading', { level: 1, name: 'Closed tickets' }).waitFor()
    await page.locator('.view-count', { hasText: /^0 tickets$/ }).waitFor()
    await page.getByText('No tickets here').waitFor()
    const queues = page.getByRole('navigation', { name: 'Queues' })
    expect(await queues.locator('[aria-current="page"]').count()).toBe(0)
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor()

    // The built-in views of every ticket (this one among them) and of the closed ones.
    await queues.getByRole('link', { name: 'All tickets' }).click()
    await page.getByRole('heading', { level: 1, name: 'All tickets' }).waitFor()
    await row.waitFor()
    await queues.getByRole('link', { name: 'Closed', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Closed' }).waitFor()
    await page.getByText('No tickets here').waitFor()
    await checkPage(page, '09c-agent-closed-view')
  })

  it('shows the customer the reply but never the note, and lets them mark it solved', async () => {
    const { page } = customerTab
    await page.reload()
    await page.getByText(reply).waitFor()
    expect(await page.getByText(note).count()).toBe(0)
    expect(await page.getByText('Internal note').count()).toBe(0)
    // No agent controls exist for customers.
    for (const label of ['Priority', 'Assignee', 'Team']) {
      expect(await page.getByLabel(label).count()).toBe(0)
    }
    expect(await page.getByRole('radio').count()).toBe(0)

    await page.getByRole('button', { name: 'Mark as solved' }).click()
    await page.getByRole('status').filter({ hasText: 'Request marked as solved.' }).waitFor()
    await page.getByText('Solved', { exact: true }).waitFor()
    await checkPage(page, '10-customer-solved')

    await page.getByRole('button', { name: 'Reopen request' }).click()
    await page.getByRole('status').filter({ hasText: 'Request reopened.' }).waitFor()
    await page.getByText('Open', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Mark as solved' }).waitFor()
  })

  it('explains a closed ticket in place of the composer, and lets the agent reopen it', async () => {
    const { page } = agentTab
    const ticketId = ticketPath.replace('/tickets/', '')
    // Without live news (the stream cannot connect), the page learns of the close only from
    // the refused send: the path this checks. With the stream, the notice comes by itself
    // (live-journey), and the click would race it.
    const stream = '**/api/v1/events*'
    await page.route(stream, (route) => route.abort())
    await page.goto(`${stack.url}${ticketPath}`)
    const composer = page.getByRole('form', { name: 'Reply or add a note' })
    const draft = 'A reply written while someone else closes the ticket.'
    await composer.getByLabel('Your reply').fill(draft)
    await admin.request('PATCH', `/tickets/${ticketId}`, { status: 'closed' })
    await composer.getByRole('button', { name: 'Send reply' }).click()

    const closed = page.getByText('This ticket is closed, so it takes no more replies or notes.')
    await closed.waitFor()
    await composer.waitFor({ state: 'hidden' })
    expect(await page.getByText('a closed ticket takes no more messages').count()).toBe(0)
    await checkPage(page, '10b-agent-ticket-closed')
    await page.getByRole('button', { name: 'Reopen ticket' }).click()
    await composer.waitFor()
    expect(await composer.getByLabel('Your reply').inputValue()).toBe(draft)
    expect(await page.getByLabel('Status', { exact: true }).inputValue()).toBe('open')
    await page.unroute(stream)

    await admin.request('PATCH', `/tickets/${ticketId}`, { status: 'closed' })
    const customerPage = customerTab.page
    await customerPage.reload()
    const notice = customerPage.locator('.closed-notice')
    await notice.getByText('This request is closed, so it takes no more replies.').waitFor()
    await notice.getByRole('link', { name: 'New request' }).waitFor()
    expect(await customerPage.getByRole('form', { name: 'Reply' }).count()).toBe(0)
    expect(await customerPage.getByRole('button', { name: /Reopen|Mark as solved/ }).count()).toBe(
      0,
    )
    await checkPage(customerPage, '10c-customer-request-closed')
    await admin.request('PATCH', `/tickets/${ticketId}`, { status: 'open' })
    await page.getByRole('link', { name: '← Tickets' }).click()
    await page.getByRole('heading', { level: 1, name: 'My open tickets' }).waitFor()
  })

  it('fits a phone screen, long subject and many tags included', async () => {
    const phone = await openTab(browser, PHONE)
    try {
      await signIn(phone.page, stack.url, agent)
      await phone.page.getByRole('button', { name: 'Menu' }).waitFor()
      await phone.page.goto(`${stack.url}/tickets?queue=open`)
      await phone.page.getByRole('link', { name: new RegExp(keyword) }).waitFor()
      await checkPage(phone.page, '11-phone-agent-queue')
      await phone.page.goto(`${stack.url}${ticketPath}`)
      await phone.page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()
      await checkPage(phone.page, '12-phone-agent-ticket')
      await phone.page.getByRole('button', { name: 'Menu' }).click()
      await phone.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Account' })
        .waitFor()
      await checkPage(phone.page, '13-phone-menu-open')
      expect(phone.problems).toEqual([])
    } finally {
      await phone.context.close()
    }
  })

  it('speaks English to a German browser and follows its dark setting, accessible in dark too', async () => {
    const dark = await openTab(browser, DESKTOP, { locale: 'de-DE', colorScheme: 'dark' })
    const { page } = dark
    try {
      await page.goto(`${stack.url}/signin`)
      await page.getByRole('heading', { name: 'Sign in' }).waitFor()
      const background = await page.evaluate(
        () => getComputedStyle(document.documentElement).backgroundColor,
      )
      expect(background).toBe('rgb(15, 20, 25)')
      await checkPage(page, '14-dark-sign-in')
      await signIn(page, stack.url, agent)
      await page.goto(`${stack.url}/tickets?queue=open`)
      const row = page.locator('.ticket-row').filter({ hasText: keyword })
      await row.waitFor()
      // One language on the page: Intl formats in the UI's English, not the browser's German.
      const meta = (await row.locator('.ticket-row-meta').textContent()) ?? ''
      expect(meta).toMatch(/Updated (this minute|\d+ (minute|hour)s? ago)/)
      expect(meta).not.toMatch(/vor |Minute\b|Minuten|Stunde/)
      await checkPage(page, '15-dark-agent-queue')
      await page.goto(`${stack.url}${ticketPath}`)
      await page.getByRole('heading', { level: 1 }).filter({ hasText: keyword }).waitFor()
      await checkPage(page, '16-dark-agent-ticket')
      expect(dark.problems).toEqual([])
    } finally {
      await dark.context.close()
    }
  })

  it('loads a long queue a page at a time', async () => {
    const agentApi = new ApiSession(stack.url)
    await agentApi.login(agent)
    for (let index = 0; index < 26; index += 1) {
      await agentApi.request('POST', '/tickets', {
        subject: `Printer ${index} jams`,
        body: 'Paper jam.',
      })
    }
    const { page } = agentTab
    await page
      .getByRole('navigation', { name: 'Queues' })
      .getByRole('link', { name: /All open/ })
      .click()
    await page.getByRole('heading', { level: 1, name: 'All open' }).waitFor()
    const rows = page.locator('.ticket-row')
    await page.getByText('25 tickets shown; there are more').waitFor()
    expect(await rows.count()).toBe(25)
    await page.getByRole('button', { name: 'Load more' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /^27 tickets$/ })
      .waitFor()
    expect(await rows.count()).toBe(27)
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0)
  })

  it('ran without a CSP violation or script error', () => {
    expect(customerTab.problems).toEqual([])
    expect(agentTab.problems).toEqual([])
  })
})
