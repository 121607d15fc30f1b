// Attachments: upload a file to a ticket (optionally to one of its messages), download it.
// Downloads are always attachments with the sniffed type, never content a browser renders.
import { randomUUID } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { can } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { ticketFor } from '../tickets/commands.ts'
import { Attachment, type AttachmentEntity, Message, TicketEvent } from '../tickets/entities.ts'
import { AttachmentOut, presentAttachment } from '../tickets/presenters.ts'
import { tickets } from '../tickets/ticket-policy.ts'
import { type ReceivedFile, receiveFile } from './upload.ts'

const TicketId = z.object({ id: z.uuid() })

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

async function recordUpload(
  em: EntityManager,
  actor: Actor,
  ticketId: string,
  id: string,
  key: string,
  file: ReceivedFile,
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

export const uploadAttachment = route
  .post('/tickets/:id/attachments')
  .summary(
    'Upload a file (multipart/form-data: field "file", optional "messageId"); streamed to storage',
    'tickets',
  )
  .params(TicketId)
  .auth(tickets.attach.permission)
  .response(201, AttachmentOut)
  .response(413, undefined, 'Larger than HELPDESK_MAX_ATTACHMENT_BYTES')
  .response(415, undefined, 'Not multipart/form-data')
  .handle(async ({ params, actor, ctx, em, services }) => {
    const ticket = await ticketFor(em, actor, tickets.attach, params.id)
    if (ticket.status === 'closed') {
      throw new HttpError('conflict', { detail: 'a closed ticket takes no more files' })
    }
    const id = randomUUID()
    const key = `tickets/${ticket.id}/${id}`
    const file = await receiveFile(ctx, {
      storage: services.storage,
      key,
      maxBytes: services.config.maxAttachmentBytes,
      fields: ['messageId'],
    })
    try {
      const attachment = await recordUpload(em, actor, ticket.id, id, key, file)
      return presentAttachment(attachment)
    } catch (error) {
      await services.storage.delete(key).catch(() => {})
      throw error
    }
  })

export const downloadAttachment = route
  .get('/attachments/:id')
  .summary('The file, as a download (Content-Disposition: attachment)', 'tickets')
  .params(z.object({ id: z.uuid() }))
  .auth(tickets.read.permission)
  .response(
    200,
    undefined,
    'The bytes, with the type sniffed at upload',
    'application/octet-stream',
  )
  .handle(async ({ params, actor, ctx, em, services }) => {
    const attachment = await em.findOne(Attachment, { id: params.id, erasedAt: null })
    if (!attachment?.storageKey) throw new HttpError('not_found', { detail: 'no such attachment' })
    await ticketFor(em, actor, tickets.read, attachment.ticketId)
    if (attachment.messageId) {
      const message = await em.findOneOrFail(Message, { id: attachment.messageId })
      // A file on an internal note is as hidden as the note.
      if (message.internal && !can(actor, tickets.internal)) {
        throw new HttpError('not_found', { detail: 'no such attachment' })
      }
    }
    const stored = await services.storage.get(attachment.storageKey)
    ctx.attachment(attachment.filename, { type: 'attachment' })
    ctx.type = attachment.contentType
    ctx.length = stored.size
    ctx.set('Cache-Control', 'private, no-store')
    // Even opened directly, nothing in it may run or load anything.
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox")
    ctx.status = 200
    ctx.body = stored.body
  })
