// Choosing files for a message, checking them against the size limit before anything is
// sent, and uploading them one by one with progress. A failed upload stays in the list with
// its reason, ready to retry.
import { useCallback, useId, useRef, useState } from 'react'
import { errorMessage } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import type { Attachment } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'
import { formatBytes } from '../ui/format.ts'
import { attachmentProblem } from './attachments.ts'

export interface QueuedFile {
  key: string
  file: File
  /** Why it cannot be sent at all (too large, empty). */
  problem?: string
  /** 0–1 while uploading. */
  progress?: number
  error?: string
  uploaded?: Attachment
}

export interface AttachmentQueue {
  files: QueuedFile[]
  /** Some chosen file can never be sent: sending must wait until it is removed. */
  blocked: boolean
  add(files: FileList | File[]): void
  remove(key: string): void
  clear(): void
  /** Uploads what is not uploaded yet; returns the attachments that made it. */
  uploadAll(ticketId: string, messageId: string | undefined): Promise<Attachment[]>
}

let sequence = 0

export function useAttachmentQueue(maxBytes: number): AttachmentQueue {
  const [files, setFiles] = useState<QueuedFile[]>([])
  const filesRef = useRef(files)
  filesRef.current = files

  const patch = useCallback((key: string, change: Partial<QueuedFile>) => {
    setFiles((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)))
  }, [])

  const add = useCallback(
    (chosen: FileList | File[]) => {
      const added = Array.from(chosen, (file) => {
        sequence += 1
        return { key: `file-${sequence}`, file, problem: attachmentProblem(file, maxBytes) }
      })
      setFiles((current) => [...current, ...added])
    },
    [maxBytes],
  )

  const uploadAll = useCallback(
    async (ticketId: string, messageId: string | undefined) => {
      const uploaded: Attachment[] = []
      for (const item of filesRef.current) {
        if (item.uploaded) {
          uploaded.push(item.uploaded)
          continue
        }
        patch(item.key, { progress: 0, error: undefined })
        try {
          const attachment = await tickets.attach(ticketId, item.file, messageId, {
            onProgress: (progress) => patch(item.key, { progress }),
          })
          patch(item.key, { uploaded: attachment, progress: 1 })
          uploaded.push(attachment)
        } catch (error) {
          patch(item.key, { progress: undefined, error: errorMessage(error) })
        }
      }
      return uploaded
    },
    [patch],
  )

  return {
    files,
    blocked: files.some((item) => item.problem),
    add,
    remove: (key) => setFiles((current) => current.filter((item) => item.key !== key)),
    clear: () => setFiles([]),
    uploadAll,
  }
}

export function AttachmentPicker({
  queue,
  maxBytes,
  disabled,
}: {
  queue: AttachmentQueue
  maxBytes: number
  disabled?: boolean
}) {
  const inputId = useId()
  return (
    <div className="attachment-picker">
      <label htmlFor={inputId}>{m.attachments.attachFiles}</label>
      <input
        id={inputId}
        type="file"
        multiple
        disabled={disabled}
        aria-describedby={`${inputId}-limit`}
        onChange={(event) => {
          if (event.target.files) queue.add(event.target.files)
          // The same file can be chosen again after it was removed.
          event.target.value = ''
        }}
      />
      <span id={`${inputId}-limit`} className="field-hint">
        {m.attachments.limit({ size: formatBytes(maxBytes) })}
      </span>
      {queue.files.length > 0 && (
        <ul className="attachment-queue" aria-label={m.attachments.toAttach}>
          {queue.files.map((item) => (
            <QueuedFileRow
              key={item.key}
              item={item}
              disabled={disabled}
              onRemove={() => queue.remove(item.key)}
            />
          ))}
        </ul>
      )}
    </div>
  )
}

function QueuedFileRow({
  item,
  disabled,
  onRemove,
}: {
  item: QueuedFile
  disabled?: boolean
  onRemove(): void
}) {
  const uploading = item.progress !== undefined && !item.uploaded
  return (
    <li className={`queued-file${item.problem || item.error ? ' queued-file-error' : ''}`}>
      <span className="queued-file-name">{item.file.name}</span>
      <span className="queued-file-size">{formatBytes(item.file.size)}</span>
      {uploading && (
        <progress
          max={1}
          value={item.progress}
          aria-label={m.attachments.uploading({ filename: item.file.name })}
        />
      )}
      {item.uploaded && <span className="queued-file-done">{m.attachments.uploaded}</span>}
      {(item.problem ?? item.error) && (
        <span className="queued-file-problem" role="alert">
          {item.problem ?? m.attachments.uploadFailed({ reason: item.error ?? '' })}
        </span>
      )}
      {!item.uploaded && !uploading && (
        <button
          type="button"
          className="link-button"
          onClick={onRemove}
          disabled={disabled}
          aria-label={m.attachments.remove({ filename: item.file.name })}
        >
          {m.common.remove}
        </button>
      )}
    </li>
  )
}
