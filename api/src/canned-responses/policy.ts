import { definePolicy, type PolicyActor } from '../policies/policy.ts'

export interface CannedResponseTarget {
  /** null: a shared response. */
  ownerId: string | null
}

const own = (actor: PolicyActor, response: CannedResponseTarget) =>
  response.ownerId === actor.userId
const sharedOrOwn = (actor: PolicyActor, response: CannedResponseTarget) =>
  response.ownerId === null || own(actor, response)
const shared = (_actor: PolicyActor, response: CannedResponseTarget) => response.ownerId === null

/**
 * Staff use the shared responses and their own; nobody sees another person's own (404).
 * Everyone on the staff keeps their own; only admins shape the shared ones, which every agent
 * sends. Customers never see any.
 */
export const cannedResponses = definePolicy<CannedResponseTarget>()(
  'canned-responses',
  {
    read: { agent: sharedOrOwn, admin: sharedOrOwn },
    writePersonal: { agent: own, admin: own },
    writeShared: { admin: shared },
  },
  { visible: { agent: sharedOrOwn, admin: sharedOrOwn } },
)

/** The action that writes this response: its owner's own, or the admins' shared. */
export function writeOf(response: CannedResponseTarget) {
  return response.ownerId === null ? cannedResponses.writeShared : cannedResponses.writePersonal
}
