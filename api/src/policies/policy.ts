// The authorization framework: one policy per resource says, per action and per role, who may
// do it — always, or only for some resources (their own ticket, themselves). Routes declare the
// action's permission (`.auth(users.update.permission)`): the platform refuses roles that may
// never do it before the handler runs. Handlers that load a resource then call
// `authorize(actor, users.update, user)` for the per-resource rule. Both come from the same
// table, so they cannot disagree.

import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { isRole, type Role } from './roles.ts'

/** What a rule sees of the actor: who they are, their role and how they signed in. */
export interface PolicyActor {
  userId: string
  role: Role
  via: Actor['via']
}

/** `true`: every resource; a function: only the resources it accepts. */
export type Rule<R> = true | ((actor: PolicyActor, resource: R) => boolean)

export type RoleRules<R> = Partial<Record<Role, Rule<R>>>

export interface PolicyAction<R> {
  /** `<resource>:<action>`, the name routes declare with `.auth(...)`. */
  readonly permission: string
  readonly resource: string
  readonly rules: RoleRules<R>
  /** Who may know the resource exists; others get 404 instead of 403. */
  readonly visible: RoleRules<R> | undefined
}

export type Policy<R, A extends string> = { readonly [K in A]: PolicyAction<R> }

const registry = new Map<string, PolicyAction<never>>()
/** permissionsOf runs on every request; policies only change at module load. */
const permissionsByRole = new Map<Role, ReadonlySet<string>>()

/**
 * Declares the policy of one resource. `visible` (usually the read rules) decides between 404
 * and 403 when an action is refused: someone who may not see a resource must not learn that
 * it exists. Every action is registered once, at module load.
 */
export function definePolicy<R>() {
  return <A extends string>(
    resource: string,
    actions: Record<A, RoleRules<R>>,
    options: { visible?: RoleRules<R> } = {},
  ): Policy<R, A> => {
    const policy = {} as Record<A, PolicyAction<R>>
    for (const [name, rules] of Object.entries(actions) as [A, RoleRules<R>][]) {
      const action: PolicyAction<R> = {
        permission: `${resource}:${name}`,
        resource,
        rules,
        visible: options.visible,
      }
      if (registry.has(action.permission)) {
        throw new Error(`policy action ${action.permission} is defined twice`)
      }
      registry.set(action.permission, action as PolicyAction<never>)
      permissionsByRole.clear()
      policy[name] = action
    }
    return policy
  }
}

/** Every permission a role can ever use: the route-level gate. */
export function permissionsOf(role: Role): ReadonlySet<string> {
  let permissions = permissionsByRole.get(role)
  if (!permissions) {
    permissions = new Set(
      [...registry.values()].filter((action) => action.rules[role]).map((a) => a.permission),
    )
    permissionsByRole.set(role, permissions)
  }
  return permissions
}

/** What only admins may do: what an admin without MFA is held from. */
export function adminOnlyPermissions(): ReadonlySet<string> {
  const lesser = new Set([...permissionsOf('customer'), ...permissionsOf('agent')])
  return new Set([...permissionsOf('admin')].filter((permission) => !lesser.has(permission)))
}

/** Whether the actor may do this to that resource (no resource: whether they may at all). */
export function can<R>(actor: Actor, action: PolicyAction<R>, resource?: R): boolean {
  const subject = policyActor(actor)
  if (!subject) return false
  return allows(action.rules, subject, resource)
}

/**
 * Throws unless the actor may do this to the resource: 404 not_found when they may not even
 * see it, else 403 forbidden.
 */
export function authorize<R>(actor: Actor, action: PolicyAction<R>, resource?: R): void {
  if (can(actor, action, resource)) {
    assertNotWithheld(actor, action)
    return
  }
  const subject = policyActor(actor)
  if (action.visible && !(subject && allows(action.visible, subject, resource))) {
    throw new HttpError('not_found')
  }
  throw new HttpError('forbidden', { detail: `may not ${action.permission.replace(':', ' ')}` })
}

/**
 * The role allows it, but the actor may not use it yet (an admin without MFA): as the route
 * gate answers, for an action a handler picks at run time (a shared canned response is an
 * admin's to write, a personal one everyone's, under one route).
 */
function assertNotWithheld<R>(actor: Actor, action: PolicyAction<R>): void {
  const { withheld } = actor
  if (withheld?.permissions.has(action.permission)) {
    throw new HttpError(withheld.type, { detail: withheld.detail })
  }
}

function allows<R>(rules: RoleRules<R>, actor: PolicyActor, resource: R | undefined): boolean {
  const rule = rules[actor.role]
  if (rule === true) return true
  if (!rule || resource === undefined) return false
  return rule(actor, resource)
}

function policyActor(actor: Actor): PolicyActor | undefined {
  return isRole(actor.role) ? { userId: actor.userId, role: actor.role, via: actor.via } : undefined
}
