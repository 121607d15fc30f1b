// The messages of a ticket, oldest first. Internal notes look unlike replies (colour, label,
// icon) so nobody mistakes what the customer saw.
import { useState } from 'react'
import { attachmentUrl, tickets } from '../api/endpoints.ts'
import type { Attachment, Message, User } from '../api/types.ts'
import type { PagedList } from '../hooks/data.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { formatBytes, formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'

/** Who is reading: their own files (and, for staff, every file) may be deleted. */
export interface Viewer {
  id: string
  role: User['role']
}

export function Conversation({ list, viewer }: { list: PagedList<Message>; viewer: Viewer }) {
  if (list.state === 'loading') return <Loading label="Loading conversation…" />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) return <EmptyState title="No messages yet" />
  const removed = (id: string) =>
    list.update((messages) =>
      messages.map((message) => ({
        ...message,
        attachments: message.attachments.filter((attachment) => attachment.id !== id),
      })),
    )
  return (
    <>
      <ol className="conversation" aria-label="Conversation">
        {list.items.map((message) => (
          <li key={message.id}>
            <MessageView message={message} viewer={viewer} onRemoved={removed} />
          </li>
        ))}
      </ol>
      {list.hasMore && (
        <div className="list-footer">
          <LoadMore list={list} label="Show more messages" />
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
            Internal note
          </span>
        )}
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
      </header>
      <div className="message-body">{message.body}</div>
      {message.attachments.length > 0 && (
        <AttachmentLinks attachments={message.attachments} viewer={viewer} onRemoved={onRemoved} />
      )}
    </article>
  )
}

/** The files of a message; their uploader and staff may delete them. */
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
      <ul className="attachments" aria-label="Attachments">
        {attachments.map((attachment) => (
          <li key={attachment.id}>
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
                Delete<span className="visually-hidden"> {attachment.filename}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete file"
        confirmLabel="Delete file"
        destructive
        onConfirm={async () => {
          if (!deleting) return
          await tickets.removeAttachment(deleting.id)
          onRemoved(deleting.id)
          setDeleting(null)
        }}
        onCancel={() => setDeleting(null)}
      >
        <p>
          “{deleting?.filename}” will be removed from this ticket for everyone. This cannot be
          undone.
        </p>
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
