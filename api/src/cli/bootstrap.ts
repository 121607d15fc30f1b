import { randomBytes } from 'node:crypto'
import type { HelpdeskApp } from '../app.ts'
import type { Config } from '../config.ts'

export type BootstrapOutcome =
  | { created: false; reason: 'not_requested' | 'exists' | 'no_user_module' }
  | { created: true; email: string; generatedPassword?: string }

/**
 * Creates the first admin from HELPDESK_BOOTSTRAP_ADMIN_* through the module that owns users
 * (its `bootstrapAdmin` hook must be idempotent: several pods start at once). Without a
 * password one is generated; it is returned only when the admin was really created.
 */
export async function bootstrapFirstAdmin(
  config: Config,
  app: HelpdeskApp,
): Promise<BootstrapOutcome> {
  const request = config.bootstrapAdmin
  if (!request) return { created: false, reason: 'not_requested' }
  const create = app.modules.bootstrapAdmin
  const { logger, orm } = app.services
  if (!create) {
    logger.warn(
      'HELPDESK_BOOTSTRAP_ADMIN_EMAIL is set, but no module manages users yet: no admin created',
    )
    return { created: false, reason: 'no_user_module' }
  }
  const generatedPassword = request.password ? undefined : randomBytes(18).toString('base64url')
  const password = request.password ?? (generatedPassword as string)
  const outcome = await create(orm.em.fork(), { email: request.email, password })
  if (outcome === 'exists') return { created: false, reason: 'exists' }
  logger.info({ email: request.email }, 'first admin created')
  return {
    created: true,
    email: request.email,
    ...(generatedPassword ? { generatedPassword } : {}),
  }
}
