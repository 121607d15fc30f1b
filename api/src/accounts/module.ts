import { Migration20261128090000_accounts } from '../db/migrations/Migration20261128090000_accounts.ts'
import { Migration20261210090300_account_tokens } from '../db/migrations/Migration20261210090300_account_tokens.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { accountAuthHooks } from './actor.ts'
import {
  currentSession,
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
import {
  changePassword,
  forgotPassword,
  PASSWORD_RATE_LIMITS,
  passwordResetJob,
  resetPassword,
  verifyEmailRoute,
} from './password-routes.ts'
import { createToken, deleteToken, listTokens } from './token-routes.ts'
import {
  createUserRoute,
  getUser,
  inviteUser,
  listUsers,
  resetUserMfa,
  updateUser,
} from './user-routes.ts'

/** Users, sign-in, sessions, MFA and API tokens; decides who every request's actor is. */
export const accountsModule: HelpdeskModule = {
  name: 'accounts',
  entities: ACCOUNT_ENTITIES,
  migrations: [
    { name: 'Migration20261128090000_accounts', class: Migration20261128090000_accounts },
    {
      name: 'Migration20261210090300_account_tokens',
      class: Migration20261210090300_account_tokens,
    },
  ],
  routes: [
    login,
    logout,
    me,
    currentSession,
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
    inviteUser,
    changePassword,
    forgotPassword,
    resetPassword,
    verifyEmailRoute,
  ],
  rateLimits: { ...LOGIN_RATE_LIMITS, ...REGISTER_RATE_LIMITS, ...PASSWORD_RATE_LIMITS },
  jobs: [passwordResetJob],
  auth: accountAuthHooks,
  bootstrapAdmin,
}
