// Who may do what to users and to API tokens.
import { definePolicy, type PolicyActor } from '../policies/policy.ts'

export interface UserTarget {
  id: string
}

const themself = (actor: PolicyActor, user: UserTarget) => actor.userId === user.id

/**
 * Agents see everyone (they pick requesters and assignees); customers see only themselves.
 * `update` covers one's own profile (name); `manage` the fields only admins set (email, role,
 * password, MFA requirement).
 */
export const users = definePolicy<UserTarget>()(
  'users',
  {
    list: { agent: true, admin: true },
    read: { customer: themself, agent: true, admin: true },
    create: { admin: true },
    update: { customer: themself, agent: themself, admin: true },
    manage: { admin: true },
    export: { customer: themself, agent: themself, admin: true },
    erase: { admin: true },
  },
  { visible: { customer: themself, agent: true, admin: true } },
)

export interface TokenTarget {
  userId: string
}

const own = (actor: PolicyActor, token: TokenTarget) => actor.userId === token.userId
/** A leaked token must not be able to mint longer-lived ones: only a browser session can. */
const fromSession = (actor: PolicyActor) => actor.via === 'session'

/** Everyone manages their own API tokens, and only their own. */
export const tokens = definePolicy<TokenTarget>()(
  'tokens',
  {
    list: { customer: true, agent: true, admin: true },
    create: { customer: fromSession, agent: fromSession, admin: fromSession },
    delete: { customer: own, agent: own, admin: own },
  },
  { visible: { customer: own, agent: own, admin: own } },
)
