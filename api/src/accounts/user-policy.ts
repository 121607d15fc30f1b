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
