import { type Browser, chromium, type LaunchOptions } from 'playwright-core'
import { toolPath } from './tools.ts'

/**
 * Flags that keep Debian's Chromium quiet on a machine with no internet and no GPU, and
 * let it run as root (CI).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

/** Debian's Chromium, driven through playwright-core (which never downloads a browser). */
export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: toolPath('chromium'),
    args: CHROMIUM_ARGS,
    ...options,
  })
}
