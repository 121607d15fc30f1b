// Writes of the attachments area: a received file becomes a ticket's (or one of its
// messages') attachment, with a ticket event, within the storage quotas; a file is deleted
// by its uploader or staff, with its bytes.
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import type { Config } from '../config.ts'
import { defineErrorType, HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { authorize, can } from '../policies/policy.ts'
import type { AttachmentStorage } from '../storage/storage.ts'
import { Message, TicketEvent } from '../tickets/entities.ts'
import { tickets } from '../tickets/policy.ts'
import { Attachment, type AttachmentEntity } from './entities.ts'
import { attachments } from './policy.ts'
import { attachmentUsage, visibleAttachment } from './queries.ts'
import type { ReceivedFile } from './upload.ts'

export const ATTACHMENT_QUOTA_EXCEEDED = defineErrorType('attachment_quota_exceeded', {
  status: 413,
  title: 'This file would go over a storage quota',
})

/**
 * The bytes left before a quota (per person and per ticket), or 413 attachment_quota_exceeded
 * when `size` does not fit.
 */
export function roomLeft(config: Config, used: { user: number; ticket: number }, size = 0): number {
  const { perUserBytes, perTicketBytes } = config.attachmentQuota
  const left = Math.min(perUserBytes - used.user, perTicketBytes - used.ticket)
  if (size > left || left <= 0) throw quotaExceeded(config, Math.max(left, 0))
  return left
}

export function quotaExceeded(config: Config, left: number): HttpError {
  const { perUserBytes, perTicketBytes } = config.attachmentQuota
  return new HttpError(ATTACHMENT_QUOTA_EXCEEDED, {
    detail: `only ${left} bytes are left before a storage quota (${perUserBytes} per person, ${perTicketBytes} per ticket): delete files that are no longer needed`,
  })
}

/** A message of this ticket the actor may attach to: their own, or any they see as staff. */
async function messageToAttachTo(
  em: EntityManager,
  actor: Actor,
  ticketId: string,
  messageId: string | undefined,
) {
  if (messageId === undefined) return null
  const message = await em.findOne(Message, { id: messageId, ticketId })
  const staff = can(actor, tickets.internal)
  if (!message || (!staff && (message.internal || message.authorId !== actor.userId))) {
    throw new HttpError('unprocessable', {
      detail: 'messageId is not a message of yours on this ticket',
      errors: [{ path: 'body.messageId', message: 'no such message on this ticket' }],
    })
  }
  return message
}

/**
 * Records a file already streamed into storage under `key`: its metadata, a ticket event and
 * the ticket's new updatedAt, in one transaction — if it fits the quotas, counted under locks
 * on the uploader's and the ticket's rows so that parallel uploads take turns. The caller
 * deletes the bytes when this fails.
 */
export async function addAttachment(
  em: EntityManager,
  config: Config,
  actor: Actor,
  ticketId: string,
  { id, key, file, messageId }: { id: string; key: string; file: ReceivedFile; messageId?: string },
): Promise<AttachmentEntity> {
  return em.transactional(async (tx) => {
    await tx.execute('select id from users where id = ? for update', [actor.userId])
    await tx.execute('select id from tickets where id = ? for update', [ticketId])
    roomLeft(config, await attachmentUsage(tx, actor.userId, ticketId), file.size)
    const message = await messageToAttachTo(tx, actor, ticketId, messageId)
    const now = new Date()
    const attachment = tx.create(Attachment, {
      id,
      ticketId,
      messageId: message?.id ?? null,
      uploaderId: actor.userId,
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      sha256: file.sha256,
      storageKey: key,
      createdAt: now,
      erasedAt: null,
    })
    tx.create(TicketEvent, {
      ticketId,
      actorId: actor.userId,
      action: 'attachment.added',
      changes: {},
      internal: message?.internal ?? false,
      at: now,
    })
    await tx.execute('update tickets set updated_at = ? where id = ?', [now, ticketId])
    await tx.flush()
    return attachment
  })
}

/**
 * Deletes a file: its row, with a ticket event and an audit event, and its bytes — before the
 * commit, so that a storage failure changes nothing and the delete can be retried.
 */
export async function deleteAttachment(
  em: EntityManager,
  storage: AttachmentStorage,
  actor: Actor,
  origin: AuditOrigin,
  id: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const { attachment, internal } = await visibleAttachment(tx, actor, id)
    authorize(actor, attachments.delete, attachment)
    await tx.execute('select id from tickets where id = ? for update', [attachment.ticketId])
    const deleted = await tx.execute<unknown[]>(
      'delete from attachments where id = ? and storage_key is not null returning id',
      [attachment.id],
    )
    // Another request deleted it first.
    if (deleted.length === 0) throw new HttpError('not_found', { detail: 'no such attachment' })
    const now = new Date()
    tx.create(TicketEvent, {
      ticketId: attachment.ticketId,
      actorId: actor.userId,
      action: 'attachment.removed',
      changes: {},
      internal,
      at: now,
    })
    await tx.execute('update tickets set updated_at = ? where id = ?', [now, attachment.ticketId])
    await recordAudit(tx, origin, {
      action: 'attachment.deleted',
      targetType: 'attachment',
      targetId: attachment.id,
      details: { ticketId: attachment.ticketId, size: attachment.size },
    })
    await tx.flush()
    await storage.delete(attachment.storageKey)
  })
}
