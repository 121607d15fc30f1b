// Chromium pages for the journeys: every page records CSP violations and script errors (the
// app must run under the seed's CSP), and helpers for sign-in, axe checks and screenshots.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { AxeBuilder } from '@axe-core/playwright'
import { expect } from '@jest/globals'
import type {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  ConsoleMessage,
  Page,
  Response,
} from 'playwright-core'
import type { Account } from './stack.ts'

/** Git-ignored; look at these after a run (phone-width ones too). */
export const SCREENSHOTS = fileURLToPath(new URL('../../.artifacts/screenshots/', import.meta.url))

export const DESKTOP = { width: 1280, height: 860 }
export const PHONE = { width: 375, height: 740 }

export interface Tab {
  context: BrowserContext
  page: Page
  /** CSP violations and uncaught errors seen so far. */
  problems: string[]
}

export async function openTab(
  browser: Browser,
  viewport = DESKTOP,
  options: BrowserContextOptions = {},
): Promise<Tab> {
  const context = await browser.newContext({ viewport, ...options })
  // Everything runs on loopback: a step that takes longer has failed, and the journey's later
  // steps should report that quickly rather than each wait out a long default.
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`)
    }
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  return { context, page, problems }
}

/**
 * Console errors and failed answers (4xx, 5xx) while `action` runs — the browser logs each
 * failed request as a console error, so a page that works must have none.
 */
export async function failuresDuring<T>(
  page: Page,
  action: () => Promise<T>,
): Promise<{ result: T; failures: string[] }> {
  const failures: string[] = []
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error') failures.push(`console: ${message.text()}`)
  }
  const onResponse = (response: Response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`)
  }
  page.on('console', onConsole)
  page.on('response', onResponse)
  try {
    return { result: await action(), failures }
  } finally {
    page.off('console', onConsole)
    page.off('response', onResponse)
  }
}

export async function signIn(
  page: Page,
  base: string,
  account: Account,
  totp?: () => Promise<string>,
) {
  await page.goto(`${base}/signin`)
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  if (totp) {
    await page.getByLabel('Authentication code').fill(await totp())
    await page.getByRole('button', { name: 'Verify' }).click()
  }
  await page.waitForURL((url) => url.pathname !== '/signin')
  await page.getByRole('heading', { level: 1 }).waitFor()
}

/**
 * No serious or critical WCAG 2.1 A/AA violations on what the page shows now, in the light
 * and in the dark colour scheme (the app follows prefers-color-scheme); the page is left in
 * the scheme it had.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const original = await page.evaluate(() =>
    matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
  )
  const serious: unknown[] = []
  try {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze()
      serious.push(
        ...results.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => ({
            page: `${what} (${colorScheme})`,
            rule: violation.id,
            impact: violation.impact,
            nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
          })),
      )
    }
  } finally {
    await page.emulateMedia({ colorScheme: original })
  }
  expect(serious).toEqual([])
}

/** Nothing sticks out sideways: the layout fits the viewport, even at phone width. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Accessible, fits the viewport, and saved for a human to look at. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name)
  await expectNoHorizontalScroll(page)
  await screenshot(page, name)
}
