import type { AppOptions } from '../app.ts'
import { type Config, ConfigError } from '../config.ts'
import { schemaStatus } from '../db/migrate.ts'
import { keyProblems } from '../encryption/sealed-columns.ts'
import { NotYet, whenAvailable } from '../platform/wait.ts'
import { seedDemoIfEmpty } from '../seed/demo.ts'
import { type RunningServer, startServer } from '../server.ts'
import { bootstrapFirstAdmin } from './bootstrap.ts'

export interface ServeOptions extends AppOptions {
  /** Add a small demo data set when the helpdesk has no tickets (after the first admin). */
  demoData?: boolean
}

/**
 * `helpdesk serve`: listens, creates the first admin if asked to, and on SIGTERM or SIGINT
 * drains and resolves (a second signal exits at once). The caller exits the process then:
 * requests cut at the end of the grace period may still have timers pending.
 */
export async function serve(config: Config, options: ServeOptions = {}): Promise<void> {
  const { demoData, ...appOptions } = options
  const running = await startServer(config, { ...appOptions, startsUnready: true })
  // Handlers first: the pod may be stopped while it still waits for the database.
  const stopped = new Promise<void>((resolve, reject) => {
    const onSignal = () => {
      const force = () => process.exit(1)
      process.once('SIGTERM', force)
      process.once('SIGINT', force)
      running
        .shutdown()
        .then(() => flushLogs(running.app))
        .then(resolve, reject)
    }
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
  })
  // Kubernetes' preStop hook: the pod is leaving the Service. Readiness turns off and every
  // answer asks its keep-alive client to reconnect — to another pod — while this one still
  // serves; SIGTERM then finds few connections left to close under a client's feet.
  process.once('SIGUSR2', () => {
    running.app.services.logger.info(
      'preStop: readiness off, keep-alive clients asked to reconnect',
    )
    running.app.beginShutdown()
  })
  // Probes answer meanwhile; readiness waits for the database, the schema and this.
  const started = firstStart(config, running, demoData === true)
  await Promise.race([started, stopped])
  if (running.app.isShuttingDown()) {
    // Stopped before the database was there: the wait gives up, which is no failure.
    await Promise.allSettled([started])
    return stopped
  }
  running.app.finishStarting()
  // Log lines go out in batches (observability/logger.ts): the start's come before this.
  await flushLogs(running.app)
  const port = Number(new URL(running.url).port)
  process.stdout.write(
    `Helpdesk ${config.version} listening on port ${port}: ${addresses(config, port)}\n`,
  )
  process.stdout.write(`Metrics and the health report on ${running.metricsUrl}/metrics\n`)
  await stopped
}

/** Where to open it: this machine's port, and the public URL when one is configured. */
function addresses(config: Config, port: number): string {
  const local = `http://localhost:${port}`
  return config.publicUrl === `http://localhost:${config.port}`
    ? local
    : `${local} (public URL ${config.publicUrl})`
}

/**
 * The first admin's credentials, shown once. At a terminal (pretty logs) they stand in a box
 * a person cannot miss; for a log collector, one plain line.
 */
export function firstAdminMessage(
  config: Config,
  admin: { email: string; generatedPassword?: string },
  port: number,
): string {
  const password = admin.generatedPassword
  if (config.logFormat !== 'pretty') {
    return `First admin created: ${admin.email}${password ? ` with the password ${password}` : ''}\n`
  }
  const lines = [
    'First admin created',
    '',
    `  email     ${admin.email}`,
    `  password  ${password ?? '(the one in HELPDESK_BOOTSTRAP_ADMIN_PASSWORD)'}`,
    '',
    `Sign in at ${addresses(config, port)}`,
    'and set up two-factor sign-in: admins must before admin work.',
    ...(password ? ['The password is shown this once: keep it somewhere safe.'] : []),
  ]
  const width = Math.max(...lines.map((line) => line.length))
  const row = (line: string) => `│ ${line.padEnd(width)} │`
  return `${[`┌${'─'.repeat(width + 2)}┐`, ...lines.map(row), `└${'─'.repeat(width + 2)}┘`].join('\n')}\n`
}

/**
 * What needs the migrated database — the application-key check, the first admin, demo data —
 * once it is there: on a first install the pod starts before Postgres answers and before the
 * migrations Job ran.
 */
async function firstStart(config: Config, running: RunningServer, demoData: boolean) {
  const { orm, logger } = running.app.services
  const committed = running.app.modules.migrations.map((migration) => migration.name)
  const admin = await whenAvailable(
    'first start',
    async () => {
      const status = await schemaStatus(orm, committed)
      if (!status.current) throw new NotYet(`migrations pending: ${status.pending.join(', ')}`)
      await assertKeysCoverSecrets(running)
      return bootstrapFirstAdmin(config, running.app)
    },
    { log: (line) => logger.info(line), giveUp: () => running.app.isShuttingDown() },
  )
  if (admin.created) {
    process.stdout.write(firstAdminMessage(config, admin, Number(new URL(running.url).port)))
  }
  if (demoData) {
    const added = await seedDemoIfEmpty(running.app)
    if (added > 0) process.stdout.write(`Demo data added: ${added} tickets\n`)
  }
}

/**
 * Refuses to serve when stored secrets are sealed with an application key this process does
 * not have (a new release without the old release's key, a keyring Secret replaced): users
 * with MFA could not sign in, and the operator must hear it at once, not from them.
 */
async function assertKeysCoverSecrets(running: RunningServer): Promise<void> {
  const { orm, sealer } = running.app.services
  const problems = await keyProblems(orm.em.fork(), sealer)
  if (problems.length === 0) return
  await running.shutdown()
  throw new ConfigError(problems.map((problem) => `HELPDESK_APP_KEYS_DIR: ${problem}`))
}

/** Log lines are written asynchronously; the last ones must reach stdout before exit. */
function flushLogs(app: RunningServer['app']): Promise<void> {
  return new Promise((resolve) => app.services.logger.flush(() => resolve()))
}
