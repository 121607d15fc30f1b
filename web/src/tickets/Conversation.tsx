// The messages of a ticket, oldest first. Internal notes look unlike replies (colour, label,
// icon) so nobody mistakes what the customer saw.
import { attachmentUrl } from '../api/endpoints.ts'
import type { Attachment, Message } from '../api/types.ts'
import type { PagedList } from '../app/data.ts'
import { formatBytes, formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'

export function Conversation({ list }: { list: PagedList<Message> }) {
  if (list.state === 'loading') return <Loading label="Loading conversation…" />
  if (list.state === 'error') return <ErrorState error={list.error} onRetry={list.reload} />
  if (list.items.length === 0) return <EmptyState title="No messages yet" />
  return (
    <>
      <ol className="conversation" aria-label="Conversation">
        {list.items.map((message) => (
          <li key={message.id}>
            <MessageView message={message} />
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

function MessageView({ message }: { message: Message }) {
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
      {message.attachments.length > 0 && <AttachmentLinks attachments={message.attachments} />}
    </article>
  )
}

export function AttachmentLinks({ attachments }: { attachments: Attachment[] }) {
  return (
    <ul className="attachments" aria-label="Attachments">
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <a href={attachmentUrl(attachment.id)} download={attachment.filename}>
            {attachment.filename}
          </a>{' '}
          <span className="attachment-size">({formatBytes(attachment.size)})</span>
        </li>
      ))}
    </ul>
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
