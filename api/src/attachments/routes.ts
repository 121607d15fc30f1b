// Attachments: upload a file to a ticket (optionally to one of its messages), download it.
// Downloads are always attachments with the sniffed type, never content a browser renders.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import { route } from '../routes/define.ts'
import { ticketFor } from '../tickets/commands.ts'
import { tickets } from '../tickets/policy.ts'
import { addAttachment } from './commands.ts'
import { AttachmentOut, presentAttachment } from './presenters.ts'
import { attachmentToDownload } from './queries.ts'
import { receiveFile } from './upload.ts'

const TicketId = z.object({ id: z.uuid() })

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
      const attachment = await addAttachment(em, actor, ticket.id, { id, key, file })
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
    const attachment = await attachmentToDownload(em, actor, params.id)
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
