import type { HelpdeskModule } from '../platform/module.ts'
import { Attachment } from './entities.ts'
import { downloadAttachment, uploadAttachment } from './routes.ts'

/**
 * Files on tickets and their messages: streamed uploads into the attachment storage, and
 * downloads that browsers never render. The table is the tickets migration's.
 */
export const attachmentsModule: HelpdeskModule = {
  name: 'attachments',
  entities: [Attachment],
  routes: [uploadAttachment, downloadAttachment],
}
