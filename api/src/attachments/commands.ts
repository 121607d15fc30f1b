// Writes of the attachments area: a received file becomes a ticket's (or one of its
// messages') attachment, with a ticket event.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { can } from '../policies/policy.ts'
import { Message, TicketEvent } from '../tickets/entities.ts'
import { tickets } from '../tickets/policy.ts'
import { Attachment, type AttachmentEntity } from './entities.ts'
import type { ReceivedFile } from './upload.ts'

/** A message of this ticket the actor may attach to: their own, or any they see as staff. */
async function messageToAttachTo(
  em: EntityManager,
  actor: Actor,
  ticketId: string,
  messageId: string | undefined,
) {
  if (messageId === undefined) return null
  const parsed = z.uuid().safeParse(messageId)
  const message = parsed.success
    ? await em.findOne(Message, { id: parsed.data, ticketId })
    : undefined
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
 * the ticket's new updatedAt, in one transaction. The caller deletes the bytes when this fails.
 */
export async function addAttachment(
  em: EntityManager,
  actor: Actor,
  ticketId: string,
  { id, key, file }: { id: string; key: string; file: ReceivedFile },
): Promise<AttachmentEntity> {
  return em.transactional(async (tx) => {
    const message = await messageToAttachTo(tx, actor, ticketId, file.fields.messageId)
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
