// GDPR for the attachments area (src/privacy/personal-data.ts). Export: the metadata of the
// files a person uploaded. Erasure: their uploads' bytes are deleted (the storage keys go back
// to the privacy module, which deletes them before committing) and the rows keep only what
// the ticket's history needs, named "erased".
import type { EntityManager } from '@mikro-orm/postgresql'
import type { PersonalDataSource } from '../privacy/personal-data.ts'
import { iso } from '../routes/shapes.ts'

const ERASED_FILENAME = 'erased'

interface AttachmentExportRow {
  id: string
  ticket_id: string
  message_id: string | null
  filename: string
  content_type: string
  size: string
  sha256: string
  created_at: string
  erased_at: string | null
}

async function exportAttachments(em: EntityManager, userId: string) {
  const rows = await em.execute<AttachmentExportRow[]>(
    `select id, ticket_id, message_id, filename, content_type, size, sha256, created_at, erased_at
     from attachments where uploader_id = ? order by created_at, id`,
    [userId],
  )
  return {
    attachments: rows.map((row) => ({
      id: row.id,
      ticketId: row.ticket_id,
      messageId: row.message_id,
      filename: row.filename,
      contentType: row.content_type,
      size: Number(row.size),
      sha256: row.sha256,
      createdAt: iso(row.created_at),
      erased: row.erased_at !== null,
    })),
  }
}

/** Idempotent: a second run finds no upload left to erase. */
async function eraseUploads(em: EntityManager, userId: string) {
  const uploads = await em.execute<{ storage_key: string }[]>(
    `update attachments a set storage_key = null, filename = ?, erased_at = now()
     from (select id, storage_key from attachments
           where uploader_id = ? and erased_at is null for update) old
     where a.id = old.id
     returning old.storage_key`,
    [ERASED_FILENAME, userId],
  )
  return { storageKeys: uploads.map((row) => row.storage_key) }
}

export const attachmentsPersonalData: PersonalDataSource = {
  name: 'attachments',
  export: exportAttachments,
  erase: eraseUploads,
}
