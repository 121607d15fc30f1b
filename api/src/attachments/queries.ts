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

export interface VisibleAttachment {
  attachment: AttachmentEntity & { storageKey: string }
  /** Whether it is on an internal note (then its history is internal too). */
  internal: boolean
}

/**
 * An attachment whose bytes are still stored, on a ticket the actor may read; 404 otherwise.
 * A file on an internal note is as hidden as the note.
 */
export async function visibleAttachment(
  em: EntityManager,
  actor: Actor,
  id: string,
): Promise<VisibleAttachment> {
  const attachment = await em.findOne(Attachment, { id, erasedAt: null })
  if (!attachment?.storageKey) throw new HttpError('not_found', { detail: 'no such attachment' })
  await ticketFor(em, actor, tickets.read, attachment.ticketId)
  const message = attachment.messageId
    ? await em.findOneOrFail(Message, { id: attachment.messageId })
    : null
  if (message?.internal && !can(actor, tickets.internal)) {
    throw new HttpError('not_found', { detail: 'no such attachment' })
  }
  return {
    attachment: attachment as AttachmentEntity & { storageKey: string },
    internal: message?.internal ?? false,
  }
}

/** Bytes of live files the person has uploaded, and the ticket holds. */
export async function attachmentUsage(
  em: EntityManager,
  userId: string,
  ticketId: string,
): Promise<{ user: number; ticket: number }> {
  const [row] = await em.execute<{ by_user: string; on_ticket: string }[]>(
    `select
       coalesce(sum(size) filter (where uploader_id = ?), 0)::text as by_user,
       coalesce(sum(size) filter (where ticket_id = ?), 0)::text as on_ticket
     from attachments where (uploader_id = ? or ticket_id = ?) and storage_key is not null`,
    [userId, ticketId, userId, ticketId],
  )
  return { user: Number(row?.by_user ?? 0), ticket: Number(row?.on_ticket ?? 0) }
}
