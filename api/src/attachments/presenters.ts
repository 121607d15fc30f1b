// The output shape of an attachment's metadata (docs/api.md "Tickets"); the bytes are served
// by the download route, and raster images also by the preview route.
import { z } from 'zod'
import { iso } from '../routes/shapes.ts'
import type { AttachmentEntity } from './entities.ts'
import { isPreviewable } from './sniff.ts'

export const AttachmentOut = z.object({
  id: z.uuid(),
  filename: z.string(),
  size: z.number().int(),
  contentType: z.string(),
  previewable: z
    .boolean()
    .describe(
      'A raster image (PNG, JPEG, GIF, WebP, AVIF) that GET /attachments/{id}/preview shows inline',
    ),
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
    previewable: isPreviewable(attachment.contentType),
    sha256: attachment.sha256,
    messageId: attachment.messageId ?? null,
    uploaderId: attachment.uploaderId,
    createdAt: iso(attachment.createdAt),
  }
}
