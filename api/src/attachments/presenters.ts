// The output shape of an attachment's metadata (docs/api.md "Tickets"); the bytes are served
// by the download route.
import { z } from 'zod'
import { iso } from '../routes/shapes.ts'
import type { AttachmentEntity } from './entities.ts'

export const AttachmentOut = z.object({
  id: z.uuid(),
  filename: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  sha256: z.string(),
  messageId: z.uuid().nullable(),
  uploaderId: z.uuid().describe('Who uploaded it: they, and staff, may delete it'),
  createdAt: z.iso.datetime(),
})

export function presentAttachment(attachment: AttachmentEntity): z.infer<typeof AttachmentOut> {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    contentType: attachment.contentType,
    sha256: attachment.sha256,
    messageId: attachment.messageId ?? null,
    uploaderId: attachment.uploaderId,
    createdAt: iso(attachment.createdAt),
  }
}
