import type { HelpdeskModule } from '../platform/module.ts'
import { Attachment } from './entities.ts'
import {
  ATTACHMENT_RATE_LIMITS,
  deleteAttachmentRoute,
  downloadAttachment,
  previewAttachment,
  uploadAttachment,
} from './routes.ts'

/**
 * Files on tickets and their messages: streamed uploads into the attachment storage within
 * quotas, downloads that browsers never render, deletion. The table is the tickets migration's.
 */
export const attachmentsModule: HelpdeskModule = {
  name: 'attachments',
  entities: [Attachment],
  routes: [uploadAttachment, downloadAttachment, previewAttachment, deleteAttachmentRoute],
  rateLimits: ATTACHMENT_RATE_LIMITS,
}
