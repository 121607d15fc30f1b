// Writes of the canned responses area. Changes to the shared responses are audited like
// other admin changes; a person's own responses are theirs alone and are not.
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import { defineErrorType, HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { authorize } from '../policies/policy.ts'
import { CannedResponse, type CannedResponseEntity } from './entities.ts'
import type { CannedResponseChanges, NewCannedResponse } from './inputs.ts'
import { assertKnownPlaceholders } from './placeholders.ts'
import { cannedResponses, writeOf } from './policy.ts'
import { cannedResponseFor } from './queries.ts'

export const SHORTCUT_TAKEN = defineErrorType('shortcut_taken', {
  status: 409,
  title: 'Another canned response has this shortcut',
})

export async function createCannedResponse(
  em: EntityManager,
  actor: Actor,
  origin: AuditOrigin,
  input: NewCannedResponse,
): Promise<CannedResponseEntity> {
  const ownerId = input.shared ? null : actor.userId
  authorize(actor, writeOf({ ownerId }), { ownerId })
  assertKnownPlaceholders(input.body, 'body.body')
  return em.transactional(async (tx) => {
    const response = tx.create(CannedResponse, {
      ownerId,
      shortcut: input.shortcut,
      title: input.title,
      body: input.body,
    })
    await flushUnique(tx, input.shortcut)
    await auditShared(tx, origin, response, 'canned_response.created')
    return response
  })
}

export async function updateCannedResponse(
  em: EntityManager,
  actor: Actor,
  origin: AuditOrigin,
  id: string,
  input: CannedResponseChanges,
): Promise<CannedResponseEntity> {
  return em.transactional(async (tx) => {
    const response = await writable(tx, actor, id)
    if (input.body !== undefined) assertKnownPlaceholders(input.body, 'body.body')
    if (input.shortcut !== undefined) response.shortcut = input.shortcut
    if (input.title !== undefined) response.title = input.title
    if (input.body !== undefined) response.body = input.body
    await flushUnique(tx, response.shortcut)
    await auditShared(tx, origin, response, 'canned_response.updated')
    return response
  })
}

export async function deleteCannedResponse(
  em: EntityManager,
  actor: Actor,
  origin: AuditOrigin,
  id: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const response = await writable(tx, actor, id)
    tx.remove(response)
    await tx.flush()
    await auditShared(tx, origin, response, 'canned_response.deleted')
  })
}

/** The response if the actor may change it: visible (404 otherwise) and theirs to write (403). */
async function writable(em: EntityManager, actor: Actor, id: string) {
  const response = await cannedResponseFor(em, actor, cannedResponses.read, id)
  authorize(actor, writeOf({ ownerId: response.ownerId ?? null }), {
    ownerId: response.ownerId ?? null,
  })
  return response
}

async function auditShared(
  em: EntityManager,
  origin: AuditOrigin,
  response: CannedResponseEntity,
  action: string,
): Promise<void> {
  if (response.ownerId) return
  await recordAudit(em, origin, {
    action,
    targetType: 'canned_response',
    targetId: response.id,
    details: { shortcut: response.shortcut },
  })
}

async function flushUnique(em: EntityManager, shortcut: string): Promise<void> {
  try {
    await em.flush()
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error
    throw new HttpError(SHORTCUT_TAKEN, {
      detail: `the shortcut ${shortcut} is already in use`,
      errors: [{ path: 'body.shortcut', message: 'already in use' }],
    })
  }
}
