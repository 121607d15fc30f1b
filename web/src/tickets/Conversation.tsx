// The messages of a ticket, oldest first. Internal notes look unlike replies (colour, label,
// icon) so nobody mistakes what the customer saw.
import { lazy, Suspense, useState } from 'react'
import { attachmentPreviewUrl, attachmentUrl, tickets } from '../api/endpoints.ts'
import type { Attachment, Message, User } from '../api/types.ts'
import type { PagedList } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { formatBytes, formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'

/** The Markdown parser and sanitizer load with the first conversation, not with every page. */
const MarkdownBody = lazy(() => import('./MarkdownBody.tsx'))

/** Who is reading: their own files (and, for staff, every file) may be deleted. */
export interface Viewer {
  id: string
  role: User['role']
}

export function Conversation({ list, viewer }: { list: PagedList<Message>; viewer: Viewer }) {
  if (list.state === 'loading') return <Loading label={m.conversation.loading} />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) return <EmptyState title={m.conversation.empty} />
  const removed = (id: string) =>
    list.update((messages) =>
      messages.map((message) => ({
        ...message,
        attachments: message.attachments.filter((attachment) => attachment.id !== id),
      })),
    )
  return (
    <>
      <ol className="conversation" aria-label={m.ticket.conversation}>
        {list.items.map((message) => (
          // Focusable by script: the composer's warning takes the reader to what arrived.
          <li key={message.id} id={`message-${message.id}`} tabIndex={-1}>
            <MessageView message={message} viewer={viewer} onRemoved={removed} />
          </li>
        ))}
      </ol>
      {list.hasMore && (
        <div className="list-footer">
          <LoadMore list={list} label={m.conversation.showMore} />
        </div>
      )}
    </>
  )
}

function MessageView({
  message,
  viewer,
  onRemoved,
}: {
  message: Message
  viewer: Viewer
  onRemoved(id: string): void
}) {
  return (
    <article className={`message${message.internal ? ' message-internal' : ''}`}>
      <header className="message-header">
        <span className="message-author">{message.author.name}</span>
        {message.internal && (
          <span className="badge badge-internal">
            <LockIcon />
            {m.conversation.internalNote}
          </span>
        )}
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
      </header>
      <Suspense fallback={<div className="message-body">{message.body}</div>}>
        <MarkdownBody text={message.body} />
      </Suspense>
      {message.attachments.length > 0 && (
        <AttachmentLinks attachments={message.attachments} viewer={viewer} onRemoved={onRemoved} />
      )}
    </article>
  )
}

/**
 * A picture in the conversation, from our own preview route (never hot-linked): opens full
 * size in a new tab.
 */
function ImagePreview({ attachment }: { attachment: Attachment }) {
  const url = attachmentPreviewUrl(attachment.id)
  return (
    <a className="attachment-preview" href={url} target="_blank" rel="noopener noreferrer">
      <img src={url} alt={m.conversation.preview(attachment)} loading="lazy" />
    </a>
  )
}

/** The files of a message (pictures shown); their uploader and staff may delete them. */
export function AttachmentLinks({
  attachments,
  viewer,
  onRemoved,
}: {
  attachments: Attachment[]
  viewer: Viewer
  onRemoved(id: string): void
}) {
  const [deleting, setDeleting] = useState<Attachment | null>(null)
  const mayDelete = (attachment: Attachment) =>
    viewer.role !== 'customer' || attachment.uploaderId === viewer.id
  return (
    <>
      <ul className="attachments" aria-label={m.conversation.attachments}>
        {attachments.map((attachment) => (
          <li key={attachment.id}>
            {attachment.previewable && <ImagePreview attachment={attachment} />}
            <a href={attachmentUrl(attachment.id)} download={attachment.filename}>
              {attachment.filename}
            </a>{' '}
            <span className="attachment-size">({formatBytes(attachment.size)})</span>
            {mayDelete(attachment) && (
              <button
                type="button"
                className="button button-small"
                onClick={() => setDeleting(attachment)}
              >
                {m.common.delete}
                <span className="visually-hidden"> {attachment.filename}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        title={m.conversation.deleteFile}
        confirmLabel={m.conversation.deleteFile}
        destructive
        onConfirm={async () => {
          if (!deleting) return
          await tickets.removeAttachment(deleting.id)
          onRemoved(deleting.id)
          setDeleting(null)
        }}
        onCancel={() => setDeleting(null)}
      >
        <p>{m.conversation.deleteFileWarning({ filename: deleting?.filename ?? '' })}</p>
      </ConfirmDialog>
    </>
  )
}

function LockIcon() {
  return (
    <svg className="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z"
        fill="currentColor"
        fillRule="evenodd"
      />
    </svg>
  )
}
