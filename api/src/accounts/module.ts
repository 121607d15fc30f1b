import { Migration20261128090000_accounts } from '../db/migrations/Migration20261128090000_accounts.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { accountAuthHooks } from './actor.ts'
import {
  LOGIN_RATE_LIMITS,
  login,
  logout,
  me,
  REGISTER_RATE_LIMITS,
  reauthenticate,
  register,
} from './auth-routes.ts'
import { bootstrapAdmin } from './commands.ts'
import { ACCOUNT_ENTITIES } from './entities.ts'
import {
  disableTotpRoute,
  enableTotpRoute,
  regenerateRecoveryCodes,
  setupTotp,
} from './mfa-routes.ts'
import { createToken, deleteToken, listTokens } from './token-routes.ts'
import { createUserRoute, getUser, listUsers, resetUserMfa, updateUser } from './user-routes.ts'

/** Users, sign-in, sessions, MFA and API tokens; decides who every request's actor is. */
export const accountsModule: HelpdeskModule = {
  name: 'accounts',
  entities: ACCOUNT_ENTITIES,
  migrations: [
    { name: 'Migration20261128090000_accounts', class: Migration20261128090000_accounts },
  ],
  routes: [
    login,
    logout,
    me,
    reauthenticate,
    setupTotp,
    enableTotpRoute,
    disableTotpRoute,
    regenerateRecoveryCodes,
    listTokens,
    createToken,
    deleteToken,
    register,
    listUsers,
    createUserRoute,
    getUser,
    updateUser,
    resetUserMfa,
  ],
  rateLimits: { ...LOGIN_RATE_LIMITS, ...REGISTER_RATE_LIMITS },
  auth: accountAuthHooks,
  bootstrapAdmin,
}
