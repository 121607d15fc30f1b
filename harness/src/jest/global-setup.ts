import type { Config } from 'jest'
import {
  publishServices,
  type ServiceName,
  type ServiceOptions,
  startServices,
} from '../services.ts'
import { sessionRoot } from '../session.ts'

type ProjectConfig = {
  testEnvironmentOptions: {
    helpdeskServices?: ServiceName[]
    helpdeskServiceOptions?: ServiceOptions
  }
}

/** Starts the package's shared services before any test file runs. */
export default async function globalSetup(_global: Config, project: ProjectConfig) {
  sessionRoot()
  const { helpdeskServices = [], helpdeskServiceOptions = {} } = project.testEnvironmentOptions
  const started = await startServices(helpdeskServices, helpdeskServiceOptions)
  publishServices(started.info)
  ;(globalThis as { helpdeskServices?: typeof started }).helpdeskServices = started
}
