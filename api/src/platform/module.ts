import type { EntitySchema, MigrationObject } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { AuthHooks } from '../http/actor.ts'
import type { JobDefinition } from '../jobs/queue.ts'
import type { RouteDefinition } from '../routes/define.ts'
import type { RateLimitRule } from './rate-limits.ts'
import type { Services } from './services.ts'

export interface BootstrapAdminInput {
  email: string
  password: string
}

/**
 * A slice of the product: its tables, migrations, routes, limits and hooks. `src/modules.ts`
 * lists the modules the API runs; the platform composes them (see README "Extending").
 */
export interface HelpdeskModule {
  name: string
  entities?: EntitySchema[]
  /** Names must start with `Migration<yyyyMMddHHmmss>`: all modules' migrations run in name order. */
  migrations?: MigrationObject[]
  routes?: RouteDefinition[]
  rateLimits?: Record<string, RateLimitRule>
  /** Background jobs (src/jobs/queue.ts): every API process runs a worker for them. */
  jobs?: JobDefinition[]
  /**
   * Work of its own each API process runs beside the job worker (the mail channels' IMAP
   * connections); the function it returns stops it when the app closes.
   */
  background?: (services: Services) => () => Promise<void>
  /** At most one module authenticates users. */
  auth?: AuthHooks
  /**
   * Creates the first admin when there is no user yet; 'exists' when there already is one.
   * At most one module provides it.
   */
  bootstrapAdmin?: (em: EntityManager, admin: BootstrapAdminInput) => Promise<'created' | 'exists'>
}

/** The modules' parts, merged; clashes (two auth providers, duplicate names) throw. */
export function composeModules(modules: readonly HelpdeskModule[]) {
  const single = <K extends 'auth' | 'bootstrapAdmin'>(key: K) => {
    const providers = modules.filter((module) => module[key])
    if (providers.length > 1) {
      throw new Error(`${key} is provided by ${providers.map((m) => m.name).join(' and ')}`)
    }
    return providers[0]?.[key]
  }
  const migrations = modules.flatMap((module) => module.migrations ?? [])
  assertUnique(
    'migration',
    migrations.map((migration) => migration.name),
  )
  const rateLimits: Record<string, RateLimitRule> = {}
  for (const module of modules) {
    for (const [name, rule] of Object.entries(module.rateLimits ?? {})) {
      if (name in rateLimits) throw new Error(`rate limit ${name} is declared twice`)
      rateLimits[name] = rule
    }
  }
  const jobs = modules.flatMap((module) => module.jobs ?? [])
  assertUnique(
    'job kind',
    jobs.map((job) => job.kind),
  )
  const routes = modules.flatMap((module) => module.routes ?? [])
  assertUnique(
    'route',
    routes.map((route) => `${route.method.toUpperCase()} ${route.path}`),
  )
  return {
    entities: modules.flatMap((module) => module.entities ?? []),
    migrations: [...migrations].sort((a, b) => a.name.localeCompare(b.name)),
    routes,
    rateLimits,
    jobs,
    background: modules.flatMap((module) => (module.background ? [module.background] : [])),
    auth: single('auth') ?? {},
    bootstrapAdmin: single('bootstrapAdmin'),
  }
}

export type ComposedModules = ReturnType<typeof composeModules>

function assertUnique(kind: string, names: string[]): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new Error(`${kind} ${name} is defined twice`)
    seen.add(name)
  }
}
