// The authorization framework: one policy per resource says, per action and per role, who may
// do it — always, or only for some resources (their own ticket, themselves). Routes declare the
// action's permission (`.auth(users.update.permission)`): the platform refuses roles that may
// never do it before the handler runs. Handlers that load a resource then call
// `authorize(actor, users.update, user)` for the per-resource rule. Both come from the same
// table, so they cannot disagree.

import { isRole, type Role } from '../accounts/roles.ts'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'

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
      policy[name] = action
    }
    return policy
  }
}

/** Every permission a role can ever use: the route-level gate. */
export function permissionsOf(role: Role): Set<string> {
  const permissions = new Set<string>()
  for (const action of registry.values()) {
    if (action.rules[role]) permissions.add(action.permission)
  }
  return permissions
}

/** All registered actions, e.g. for the authorization matrix test. */
export function registeredActions(): ReadonlyMap<string, PolicyAction<never>> {
  return registry
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
  if (can(actor, action, resource)) return
  const subject = policyActor(actor)
  if (action.visible && !(subject && allows(action.visible, subject, resource))) {
    throw new HttpError('not_found')
  }
  throw new HttpError('forbidden', { detail: `may not ${action.permission.replace(':', ' ')}` })
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
