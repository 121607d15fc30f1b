// Embedded mode's database, migrated once per test run and copied for every app that needs
// one: migrating PGlite from nothing takes 5–25 s on a loaded 2-core machine, opening a copy
// two. The first worker to ask builds the template; the others wait for it.
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { serviceDir, sessionRoot } from '@helpdesk/harness'
import { createApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { until } from './wait.ts'

const TEMPLATE = 'embedded-template'

/** A fresh HELPDESK_DATA_DIR whose embedded database is migrated. */
export async function migratedDataDir(): Promise<string> {
  const template = await templateDir()
  const dir = serviceDir('helpdesk-api-test')
  cpSync(template, dir, { recursive: true })
  return dir
}

async function templateDir(): Promise<string> {
  const template = path.join(sessionRoot(), TEMPLATE)
  try {
    // mkdir is atomic: exactly one worker builds the template.
    mkdirSync(`${template}.building`)
  } catch {
    await until(() => existsSync(template), 100)
    return template
  }
  const scratch = serviceDir('embedded-template-build')
  const app = await createApp(loadConfig({ HELPDESK_DATA_DIR: scratch, LOG_LEVEL: 'warn' }), {
    jobs: false,
  })
  await app.close()
  rmSync(path.join(scratch, 'attachments'), { recursive: true, force: true })
  renameSync(scratch, template)
  return template
}
