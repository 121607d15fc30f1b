// The first admin's day one in a real browser against the real stack: enrol two-factor
// sign-in (QR code, recovery codes), sign in again with a TOTP code, add an agent, read the
// audit log, and check every admin page.

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

  it('signs out, then in again with a TOTP code', async () => {
    const { page } = tab
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out.').waitFor()
    await page.getByLabel('Email').fill(stack.admin.email)
    await page.getByLabel('Password').fill(stack.admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    const code = page.getByLabel('Authentication code')
    await code.waitFor()
    await checkPage(page, '23-sign-in-totp-step')

    await code.fill(codes.wrong())
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByText('That code is not right.').waitFor()

    await code.fill(await codes.fresh(enrolledWith))
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL('**/tickets')
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

  it.each([
    ['Teams', '26-admin-teams'],
    ['SLA targets', '27-admin-sla'],
    ['Settings', '28-admin-settings'],
  ])('opens %s', async (section, name) => {
    const { page } = tab
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: section })
      .click()
    await page.getByRole('heading', { level: 1, name: section }).waitFor()
    await page.locator('.state-loading').waitFor({ state: 'detached' })
    expect(await page.getByRole('alert').count()).toBe(0)
    await checkPage(page, name)
  })

  it('sees the health checks and the version on the System page', async () => {
    const { page } = tab
    await page.getByRole('link', { name: 'System' }).click()
    await page.getByText('Overall:').waitFor()
    for (const check of ['Database', 'Redis', 'Storage']) {
      await page.getByRole('rowheader', { name: check }).waitFor()
    }
    expect(await page.getByText('API version').count()).toBe(1)
    await checkPage(page, '29-admin-system')
  })

  it('ran without a CSP violation or script error', () => {
    expect(tab.problems).toEqual([])
  })
})
