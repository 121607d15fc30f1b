import { definePolicy, type PolicyActor } from '../policies/policy.ts'

export interface AttachmentTarget {
  uploaderId: string
}

const uploaded = (actor: PolicyActor, file: AttachmentTarget) => actor.userId === file.uploaderId

/**
 * Files on tickets: whoever uploaded one may delete it, and staff may delete any (a customer
 * who sent the wrong document, a password pasted in a screenshot). Seeing one follows the
 * ticket (tickets.read) and, on internal notes, tickets.internal.
 */
export const attachments = definePolicy<AttachmentTarget>()('attachments', {
  delete: { customer: uploaded, agent: true, admin: true },
})
