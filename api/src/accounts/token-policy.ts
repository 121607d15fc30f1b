import { definePolicy, type PolicyActor } from '../policies/policy.ts'

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
