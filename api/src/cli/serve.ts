import type { AppOptions } from '../app.ts'
import type { Config } from '../config.ts'
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
  const running = await startServer(config, appOptions)
  const admin = await bootstrapFirstAdmin(config, running.app)
  if (admin.created) {
    const password = admin.generatedPassword ? ` with the password ${admin.generatedPassword}` : ''
    process.stdout.write(`First admin created: ${admin.email}${password}\n`)
  }
  if (demoData) {
    const added = await seedDemoIfEmpty(running.app)
    if (added > 0) process.stdout.write(`Demo data added: ${added} tickets\n`)
  }
  // Handlers first: whoever reads the line below may signal at once.
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
  const port = new URL(running.url).port
  // Embedded mode is someone's laptop: point them at the local address.
  const open = config.database.kind === 'embedded' ? `http://localhost:${port}` : config.publicUrl
  process.stdout.write(`Helpdesk ${config.version} listening on port ${port}: ${open}\n`)
  process.stdout.write(`Metrics and the health report on ${running.metricsUrl}/metrics\n`)
  await stopped
}

/** Log lines are written asynchronously; the last ones must reach stdout before exit. */
function flushLogs(app: RunningServer['app']): Promise<void> {
  return new Promise((resolve) => app.services.logger.flush(() => resolve()))
}
