import type { Config } from 'jest'
import { publishServices, type ServiceName, startServices } from '../services.ts'
import { sessionRoot } from '../session.ts'

type ProjectConfig = { testEnvironmentOptions: { helpdeskServices?: ServiceName[] } }

/** Starts the package's shared services before any test file runs. */
export default async function globalSetup(_global: Config, project: ProjectConfig) {
  sessionRoot()
  const started = await startServices(project.testEnvironmentOptions.helpdeskServices ?? [])
  publishServices(started.info)
  ;(globalThis as { helpdeskServices?: typeof started }).helpdeskServices = started
}
