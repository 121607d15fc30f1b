// The first admin's day one in a real browser against the real stack: enrol two-factor
// sign-in (QR code, recovery codes), sign in again with a TOTP code, add an agent, read the
// audit log, and check every admin page.

import { readFileSync } from 'node:fs'
import { launchBrowser, uniqueId } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Browser } from 'playwright-core'
import { authenticator } from './support/api.ts'
import { checkPage, openTab, signIn, type Tab } from './support/browser.ts'
import { type Stack, startStack } from './support/stack.ts'

let stack: Stack
let browser: Browser
let tab: Tab
let codes: ReturnType<typeof authenticator>
let enrolledWith = ''
const agentEmail = `new-agent-${uniqueId()}@example.com`

beforeAll(async () => {
  stack = await startStack('admin')
  browser = await launchBrowser()
  tab = await openTab(browser)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

describe('an admin', () => {
  it('is asked to set up two-factor sign-in before the admin pages open', async () => {
    const { page } = tab
    await signIn(page, stack.url, stack.admin)
    await page.getByText('Administrators must use two-factor sign-in.').waitFor()
    await page.goto(`${stack.url}/admin/settings`)
    // The API refuses admin-only requests until MFA is on; the app takes the admin to enrol.
    await page.waitForURL('**/account?mfa=required')
    await page.getByText('Your account must use two-factor sign-in.').waitFor()
    await checkPage(page, '20-admin-mfa-required')
  })

  it('enrols with the QR code and saves the recovery codes', async () => {
    const { page } = tab
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' })
    await qr.waitFor()
    // Drawn in the page: no request leaves for a QR service.
    expect(await qr.evaluate((element) => element.tagName.toLowerCase())).toBe('svg')
    const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? ''
    expect(secret).toMatch(/^[A-Z2-7]+=*$/)
    codes = authenticator(secret)
    await checkPage(page, '21-admin-mfa-scan')

    enrolledWith = codes.now()
    await page.getByLabel('Code from the app').fill(enrolledWith)
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click()
    const recovery = page.getByRole('list', { name: 'Recovery codes' })
    await recovery.waitFor()
    expect(await recovery.getByRole('listitem').count()).toBeGreaterThanOrEqual(5)
    await checkPage(page, '22-admin-recovery-codes')
    await page.getByRole('button', { name: 'I have saved them' }).click()
    await page.getByText('Two-factor sign-in is on for your account.').waitFor()
    expect(await page.getByText('Administrators must use two-factor sign-in.').count()).toBe(0)
  })

  it('signs out, then in again with a TOTP code, by keyboard alone', async () => {
    const { page } = tab
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.getByText('You have signed out.').waitFor()
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '')
    const idOf = async (label: string) => (await page.getByLabel(label).getAttribute('id')) ?? ''

    await page.keyboard.press('Tab')
    expect(await focused()).toBe(await idOf('Email'))
    await page.keyboard.type(stack.admin.email)
    await page.keyboard.press('Tab')
    expect(await focused()).toBe(await idOf('Password'))
    await page.keyboard.type(stack.admin.password)
    await page.keyboard.press('Enter')
    // The second step takes the focus itself.
    const code = page.getByLabel('Authentication code')
    await code.waitFor()
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('autocomplete') === 'one-time-code',
    )
    expect(await focused()).toBe(await idOf('Authentication code'))
    await checkPage(page, '23-sign-in-totp-step')

    await page.keyboard.type(codes.wrong())
    await page.keyboard.press('Enter')
    await page.getByText('That code is not right.').waitFor()

    await code.fill('')
    await code.focus()
    await page.keyboard.type(await codes.fresh(enrolledWith))
    await page.keyboard.press('Enter')
    await page.waitForURL('**/tickets')

    // On a freshly loaded page the first Tab reaches the skip link, which jumps past the
    // navigation. (After in-app navigation the new page's heading has the focus instead.)
    await page.getByRole('heading', { level: 1 }).waitFor()
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    await page.reload()
    await page.getByRole('heading', { level: 1 }).waitFor()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to main content',
    )
    await page.keyboard.press('Enter')
    expect(await focused()).toBe('main')
  })

  it('adds an agent', async () => {
    const { page } = tab
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin' })
      .click()
    await page.getByRole('heading', { name: 'Users' }).waitFor()
    const form = page.locator('details').filter({ hasText: 'Add a user' })
    await form.getByText('Add a user').click()
    await form.getByLabel('Name').fill('Nina New-Agent')
    await form.getByLabel('Email').fill(agentEmail)
    await form.getByLabel('Role').selectOption('agent')
    await form.getByLabel('Initial password (optional)').fill(`Nina-${uniqueId(8)}`)
    await form.getByRole('button', { name: 'Add user' }).click()
    await page.getByText('Nina New-Agent was added as agent.').waitFor()
    await page.getByRole('article', { name: 'Nina New-Agent' }).waitFor()
    await checkPage(page, '24-admin-users')
  })

  it('reads the audit log, filtered by action', async () => {
    const { page } = tab
    await page.getByRole('link', { name: 'Audit log' }).click()
    await page.getByRole('heading', { name: 'Audit log' }).waitFor()
    const events = page.locator('.audit-row')
    await events.first().waitFor()
    // Logins (failed and successful), the MFA change and the new agent are all recorded.
    expect(await events.count()).toBeGreaterThanOrEqual(4)
    // In words, with names: never the raw target id.
    await events.filter({ hasText: 'added the user Nina New-Agent' }).first().waitFor()
    await events.filter({ hasText: 'turned on two-factor sign-in' }).first().waitFor()
    for (const sentence of await page.locator('.audit-what').allTextContents()) {
      expect(sentence).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
      expect(sentence).not.toMatch(/[a-z]+\.[a-z_]+/)
    }
    await checkPage(page, '25-admin-audit')

    const first = (await events.first().locator('code').textContent()) ?? ''
    await page.getByLabel('Action').fill(first)
    const filtered = page.waitForResponse((response) =>
      response.url().includes(`/api/v1/audit-events?action=${encodeURIComponent(first)}`),
    )
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await filtered
    await events.first().waitFor()
    for (const action of await events.locator('code').allTextContents()) {
      expect(action).toBe(first)
    }
  })

  const openSection = async (section: string) => {
    const { page } = tab
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: section })
      .click()
    await page.getByRole('heading', { level: 1, name: section }).waitFor()
    await page.locator('.state-loading').waitFor({ state: 'detached' })
    expect(await page.getByRole('alert').count()).toBe(0)
  }

  it('creates a team and puts the new agent in it', async () => {
    const { page } = tab
    await openSection('Teams')
    await page.getByLabel('New team').fill('Billing')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.getByText('Team Billing created.').waitFor()
    await page.getByRole('button', { name: 'Edit Billing' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit team Billing' })
    await dialog.getByLabel('Nina New-Agent').check()
    await dialog.getByRole('button', { name: 'Save team' }).click()
    await page.getByText('Team Billing saved.').waitFor()
    await page
      .locator('.team-row')
      .filter({ hasText: 'Billing' })
      .getByText('Nina New-Agent')
      .waitFor()
    await checkPage(page, '26-admin-teams')
  })

  it('tightens an SLA target', async () => {
    const { page } = tab
    await openSection('SLA targets')
    const urgent = page.getByLabel('Urgent first response in hours')
    // The default (an hour) is on screen before it is edited, so the edit is not overwritten.
    await page.waitForFunction(
      (input) => (input as HTMLInputElement).value === '1',
      await urgent.elementHandle(),
    )
    await urgent.fill('0.5')
    await page.getByRole('button', { name: 'Save SLA targets' }).click()
    await page.getByText('SLA targets saved.').waitFor()
    expect(await urgent.inputValue()).toBe('0.5')
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'SLA targets' }).waitFor()
    expect(await page.getByLabel('Urgent first response in hours').inputValue()).toBe('0.5')
    await checkPage(page, '27-admin-sla')
  })

  it('opens self sign-up, which the sign-in page then offers', async () => {
    const { page } = tab
    await openSection('Settings')
    await page.getByLabel('Customers can create their own accounts').check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    await checkPage(page, '28-admin-settings')
    const visitor = await openTab(browser)
    try {
      await visitor.page.goto(`${stack.url}/signin`)
      await visitor.page.getByRole('link', { name: 'Create an account' }).waitFor()
    } finally {
      await visitor.context.close()
    }
  })

  it('decides which priorities customers may choose', async () => {
    const { page } = tab
    const offered = page.getByRole('group', { name: 'Priorities customers may choose' })
    // By default urgent is the staff's call.
    for (const [priority, checked] of [
      ['Low', true],
      ['Normal', true],
      ['High', true],
      ['Urgent', false],
    ] as const) {
      expect({ priority, checked: await offered.getByLabel(priority).isChecked() }).toEqual({
        priority,
        checked,
      })
    }
    for (const priority of ['Low', 'Normal', 'High']) await offered.getByLabel(priority).uncheck()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: 'Offer customers at least one priority.' })
      .waitFor()
    await offered.getByLabel('Normal').check()
    await offered.getByLabel('Urgent').check()
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.getByText('Settings saved.').waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    const reloaded = page.getByRole('group', { name: 'Priorities customers may choose' })
    await reloaded.getByLabel('Urgent').waitFor()
    expect(await reloaded.getByLabel('Urgent').isChecked()).toBe(true)
    expect(await reloaded.getByLabel('Low').isChecked()).toBe(false)
    await checkPage(page, '28-admin-settings-priorities')
  })

  it('exports a person’s data, then erases them after typing their address', async () => {
    const { page } = tab
    await openSection('Users')
    const row = page.getByRole('article', { name: 'Nina New-Agent' })
    const download = page.waitForEvent('download')
    await row.getByRole('button', { name: 'Export data of Nina New-Agent' }).click()
    const file = await (await download).path()
    expect(readFileSync(file, 'utf8')).toContain(agentEmail)

    await row.getByRole('button', { name: 'Erase Nina New-Agent' }).click()
    const dialog = page.getByRole('dialog', { name: 'Erase this person’s data' })
    const erase = dialog.getByRole('button', { name: 'Erase permanently' })
    expect(await erase.isDisabled()).toBe(true)
    await dialog.getByLabel(`Type ${agentEmail} to confirm`).fill(agentEmail)
    await checkPage(page, '30-admin-erase-confirmation')
    await erase.click()
    await page.getByText(`${agentEmail} was erased.`).waitFor()
    await row.waitFor({ state: 'detached' })

    // The audit log keeps what happened, but no longer the name of whom it happened to.
    await openSection('Audit log')
    const events = page.locator('.audit-row')
    await events.filter({ hasText: 'erased the data of Erased user' }).first().waitFor()
    await events.filter({ hasText: 'added the user Erased user' }).first().waitFor()
    expect(await events.filter({ hasText: 'Nina' }).count()).toBe(0)
  })

  it('creates an API token shown once, which works until it is revoked', async () => {
    const { page, context } = tab
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Account' })
      .click()
    await page.getByLabel('Token name').fill('Nightly export')
    await page.getByRole('button', { name: 'Create token' }).click()
    const shown = page.getByLabel('New API token')
    await shown.waitFor()
    const token = await shown.inputValue()
    await page.getByRole('button', { name: 'Copy' }).click()
    await page.getByText('Copied to the clipboard.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token)
    await checkPage(page, '31-account-token-created')

    const asToken = () =>
      fetch(`${stack.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } })
    expect((await asToken()).status).toBe(200)

    await page.getByRole('button', { name: 'I have copied it' }).click()
    expect(await page.getByLabel('New API token').count()).toBe(0)
    await page.getByRole('button', { name: 'Revoke Nightly export' }).click()
    await page
      .getByRole('dialog', { name: 'Revoke API token' })
      .getByRole('button', { name: 'Revoke token' })
      .click()
    await page.getByText('Token “Nightly export” revoked.').waitFor()
    expect((await asToken()).status).toBe(401)
  })

  it('sees the health checks and the version on the System page', async () => {
    const { page } = tab
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin' })
      .click()
    await openSection('System')
    await page.getByText('Overall:').waitFor()
    // What each dependency really is and how it is doing, in a sentence; no raw JSON.
    const state = (dependency: string) =>
      page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: dependency }) })
    expect(await state('PostgreSQL database').textContent()).toContain('Its schema is up to date')
    expect(await state('Redis').textContent()).toContain('Redis keeps sessions and rate limits')
    expect(await state('S3 object storage').textContent()).toContain(
      'Attachments are kept in the bucket',
    )
    expect(await page.locator('main').textContent()).not.toMatch(/[{}"]/)
    expect(await page.getByText('API version').count()).toBe(1)
    await checkPage(page, '29-admin-system')
  })

  it('ran without a CSP violation or script error', () => {
    expect(tab.problems).toEqual([])
  })
})
