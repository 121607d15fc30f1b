// Reads of attachment metadata: the files of a page of messages, and a file to download.
import type { EntityManager } from '@mikro-orm/postgresql'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { can } from '../policies/policy.ts'
import { ticketFor } from '../tickets/commands.ts'
import { Message } from '../tickets/entities.ts'
import { tickets } from '../tickets/policy.ts'
import { Attachment, type AttachmentEntity } from './entities.ts'

/** Attachments of these messages that still exist, by message id. */
export async function attachmentsOfMessages(
  em: EntityManager,
  messageIds: string[],
): Promise<Map<string, AttachmentEntity[]>> {
  const byMessage = new Map<string, AttachmentEntity[]>()
  if (messageIds.length === 0) return byMessage
  const rows = await em.find(
    Attachment,
    { messageId: { $in: messageIds }, erasedAt: null },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  )
  for (const row of rows) {
    const list = byMessage.get(row.messageId as string) ?? []
    list.push(row)
    byMessage.set(row.messageId as string, list)
  }
  return byMessage
}

/**
 * An attachment whose bytes are still stored, on a ticket the actor may read; 404 otherwise.
 * A file on an internal note is as hidden as the note.
 */
export async function attachmentToDownload(
  em: EntityManager,
  actor: Actor,
  id: string,
): Promise<AttachmentEntity & { storageKey: string }> {
  const attachment = await em.findOne(Attachment, { id, erasedAt: null })
  if (!attachment?.storageKey) throw new HttpError('not_found', { detail: 'no such attachment' })
  await ticketFor(em, actor, tickets.read, attachment.ticketId)
  if (attachment.messageId) {
    const message = await em.findOneOrFail(Message, { id: attachment.messageId })
    if (message.internal && !can(actor, tickets.internal)) {
      throw new HttpError('not_found', { detail: 'no such attachment' })
    }
  }
  return attachment as AttachmentEntity & { storageKey: string }
}
