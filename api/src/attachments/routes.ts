// Attachments: upload a file to a ticket (optionally to one of its messages), download it,
// preview it, delete it. Downloads are always attachments with the sniffed type, never content
// a browser renders; only raster images are also shown inline, as previews. Uploads count
// against a per-person rate limit and per-person and per-ticket quotas.
import { randomUUID } from 'node:crypto'
import type { Context } from 'koa'
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { defineErrorType, HttpError } from '../errors.ts'
import { route } from '../routes/define.ts'
import type { StoredObject } from '../storage/storage.ts'
import { ticketFor } from '../tickets/commands.ts'
import { tickets } from '../tickets/policy.ts'
import { addAttachment, deleteAttachment, quotaExceeded, roomLeft } from './commands.ts'
import { attachments } from './policy.ts'
import { AttachmentOut, presentAttachment } from './presenters.ts'
import { attachmentUsage, visibleAttachment } from './queries.ts'
import { isPreviewable } from './sniff.ts'
import { type ReceivedFile, receiveFile } from './upload.ts'

const TicketId = z.object({ id: z.uuid() })
const AttachmentId = z.object({ id: z.uuid() })

/** Uploads per person: enough for a busy agent, too few to fill a disk by script. */
export const ATTACHMENT_RATE_LIMITS = {
  attachmentUpload: { points: 60, durationSeconds: 60 * 60, whenStoreDown: 'local' },
} as const

const UploadFields = z.object({ messageId: z.uuid().optional() })

/** The form's text fields, validated like any other input (400 with the field's path). */
function uploadFields(file: ReceivedFile): z.output<typeof UploadFields> {
  const result = UploadFields.safeParse(file.fields)
  if (result.success) return result.data
  throw new HttpError('validation_error', {
    detail: 'invalid form fields',
    errors: result.error.issues.map((issue) => ({
      path: ['body', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  })
}

export const uploadAttachment = route
  .post('/tickets/:id/attachments')
  .operationId('uploadAttachment')
  .summary(
    'Upload a file (multipart/form-data: field "file", optional "messageId"); streamed to storage',
    'tickets',
  )
  .params(TicketId)
  .auth(tickets.attach.permission)
  .upload(UploadFields)
  .response(201, AttachmentOut)
  .response(409, undefined, 'The ticket is closed')
  .response(
    413,
    undefined,
    'Larger than HELPDESK_MAX_ATTACHMENT_BYTES (payload_too_large), or over a quota (attachment_quota_exceeded)',
  )
  .response(415, undefined, 'Not multipart/form-data')
  .response(422, undefined, 'messageId is not a message of yours on this ticket')
  .response(429, undefined, 'Too many uploads (per person), or rate limited')
  .handle(async ({ params, actor, ctx, em, services, log }) => {
    const ticket = await ticketFor(em, actor, tickets.attach, params.id)
    if (ticket.status === 'closed') {
      throw new HttpError('conflict', { detail: 'a closed ticket takes no more files' })
    }
    await services.rateLimits.consume('attachmentUpload', `user:${actor.userId}`)
    const { config } = services
    const left = roomLeft(config, await attachmentUsage(em, actor.userId, ticket.id))
    const id = randomUUID()
    const key = `tickets/${ticket.id}/${id}`
    const file = await receiveFile(ctx, {
      storage: services.storage,
      key,
      // Streaming stops at whichever limit comes first.
      maxBytes: Math.min(config.maxAttachmentBytes, left),
      fields: Object.keys(UploadFields.shape),
    }).catch((error: unknown) => {
      const overQuota =
        error instanceof HttpError &&
        error.type === 'payload_too_large' &&
        left < config.maxAttachmentBytes
      throw overQuota ? quotaExceeded(config, left) : error
    })
    try {
      const { messageId } = uploadFields(file)
      const attachment = await addAttachment(em, config, actor, ticket.id, {
        id,
        key,
        file,
        ...(messageId ? { messageId } : {}),
      })
      return presentAttachment(attachment)
    } catch (error) {
      // Bytes without a row are nobody's: never let them stay unnoticed.
      await services.storage.delete(key).catch((cleanup: unknown) => {
        log.error({ err: cleanup, key }, 'could not delete an upload that was not recorded')
      })
      throw error
    }
  })

export const downloadAttachment = route
  .get('/attachments/:id')
  .operationId('downloadAttachment')
  .summary('The file, as a download (Content-Disposition: attachment)', 'tickets')
  .params(AttachmentId)
  .auth(tickets.read.permission)
  .response(
    200,
    undefined,
    'The bytes, with the type sniffed at upload (never one a browser renders or runs)',
    '*/*',
  )
  .handle(async ({ params, actor, ctx, em, services }) => {
    const { attachment } = await visibleAttachment(em, actor, params.id)
    const stored = await services.storage.get(attachment.storageKey)
    ctx.attachment(attachment.filename, { type: 'attachment' })
    serveStored(ctx, attachment.contentType, stored)
  })

// The file is there, but its type rules a preview out: a conflict with what it is (409), not
// a fault in the request.
const NOT_PREVIEWABLE = defineErrorType('not_previewable', {
  status: 409,
  title: 'Only images can be previewed',
})

export const previewAttachment = route
  .get('/attachments/:id/preview')
  .operationId('previewAttachment')
  .summary('A raster image, shown inline (Content-Disposition: inline)', 'tickets')
  .params(AttachmentId)
  .auth(tickets.read.permission)
  .response(200, undefined, 'The image, of the type sniffed at upload', 'image/*')
  .response(409, undefined, 'Not a raster image (not_previewable): download it instead')
  .handle(async ({ params, actor, ctx, em, services }) => {
    const { attachment } = await visibleAttachment(em, actor, params.id)
    if (!isPreviewable(attachment.contentType)) {
      throw new HttpError(NOT_PREVIEWABLE, {
        detail: `${attachment.contentType} is served as a download only`,
      })
    }
    const stored = await services.storage.get(attachment.storageKey)
    ctx.attachment(attachment.filename, { type: 'inline' })
    serveStored(ctx, attachment.contentType, stored)
  })

export const deleteAttachmentRoute = route
  .delete('/attachments/:id')
  .operationId('deleteAttachment')
  .summary('Delete a file: its uploader, or staff. The bytes leave storage at once', 'tickets')
  .params(AttachmentId)
  .auth(attachments.delete.permission)
  .response(204)
  .handle(async ({ params, actor, ctx, em, services }) => {
    await deleteAttachment(em, services.storage, actor, auditOrigin(ctx, actor), params.id)
  })

/** Stored bytes as the answer: private, and even opened directly nothing in them may run. */
function serveStored(ctx: Context, contentType: string, stored: StoredObject): void {
  ctx.type = contentType
  ctx.length = stored.size
  ctx.set('Cache-Control', 'private, no-store')
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox")
  ctx.status = 200
  ctx.body = stored.body
}
