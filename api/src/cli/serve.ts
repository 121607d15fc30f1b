import type { AppOptions } from '../app.ts'
import type { Config } from '../config.ts'
import { type RunningServer, startServer } from '../server.ts'
import { bootstrapFirstAdmin } from './bootstrap.ts'

/**
 * `helpdesk serve`: listens, creates the first admin if asked to, and on SIGTERM or SIGINT
 * drains and resolves (a second signal exits at once). The caller exits the process then:
 * requests cut at the end of the grace period may still have timers pending.
 */
export async function serve(config: Config, options: AppOptions = {}): Promise<void> {
  const running = await startServer(config, options)
  const admin = await bootstrapFirstAdmin(config, running.app)
  if (admin.created) {
    const password = admin.generatedPassword ? ` with the password ${admin.generatedPassword}` : ''
    process.stdout.write(`First admin created: ${admin.email}${password}\n`)
  }
  const port = new URL(running.url).port
  // Embedded mode is someone's laptop: point them at the local address.
  const open = config.database.kind === 'embedded' ? `http://localhost:${port}` : config.publicUrl
  process.stdout.write(`Helpdesk ${config.version} listening on port ${port}: ${open}\n`)
  await new Promise<void>((resolve, reject) => {
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
}

/** Log lines are written asynchronously; the last ones must reach stdout before exit. */
function flushLogs(app: RunningServer['app']): Promise<void> {
  return new Promise((resolve) => app.services.logger.flush(() => resolve()))
}
