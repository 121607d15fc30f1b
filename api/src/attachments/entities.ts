// The attachments table (created with the tickets' tables by Migration20261128100000_tickets).
import { defineEntity, p } from '@mikro-orm/core'

/** An uploaded file's metadata; the bytes live in the attachment storage under `storageKey`. */
export const Attachment = defineEntity({
  name: 'Attachment',
  tableName: 'attachments',
  properties: {
    id: p.uuid().primary(),
    ticketId: p.uuid(),
    messageId: p.uuid().nullable(),
    uploaderId: p.uuid(),
    filename: p.text(),
    contentType: p.text(),
    size: p.bigint('number'),
    sha256: p.text(),
    /** Null once erased (GDPR): the bytes are gone, the row keeps the ticket's history whole. */
    storageKey: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    erasedAt: p.datetime().nullable(),
  },
})
export type AttachmentEntity = InstanceType<typeof Attachment.class>
