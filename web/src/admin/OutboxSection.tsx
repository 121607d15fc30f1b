// The outbox: every outgoing mail with its status, newest first; "failed" are the dead
// letters (out of attempts), which an admin can read and send again.
import { useState } from 'react'
import { mail } from '../api/endpoints.ts'
import type { OutboundMail, OutboxItem, OutboxStatus } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { usePaged } from '../hooks/data.ts'
import { Dialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { formatDateTime, humanize } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading, LoadMore } from '../ui/States.tsx'

const STATUSES: OutboxStatus[] = ['queued', 'sent', 'failed', 'held']
const STATUS_LABELS: Record<OutboxStatus, string> = {
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed (dead letters)',
  held: 'Kept (no SMTP server)',
}

export function OutboxSection() {
  const [status, setStatus] = useState<OutboxStatus | ''>('')
  const list = usePaged(`outbox:${status}`, (cursor, signal) =>
    mail.outbox(status || undefined, cursor, signal),
  )
  const [open, setOpen] = useState<OutboundMail | null>(null)
  const { error, run } = useAction()
  const show = (id: string) => void run(async () => setOpen(await mail.outboundMail(id)))
  const retry = (id: string) =>
    void run(async () => {
      const retried = await mail.retry(id)
      list.update((items) => items.map((item) => (item.id === id ? retried : item)))
    })

  return (
    <section className="panel" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">Outbox</h2>
      <Field label="Status">
        {(control) => (
          <select
            {...control}
            value={status}
            onChange={(event) => setStatus(event.target.value as OutboxStatus | '')}
          >
            <option value="">All</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <InlineError error={error} />
      {list.state === 'loading' && <Loading label="Loading the outbox…" />}
      {list.state === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.state === 'ready' && list.items.length === 0 && <EmptyState title="No mail here" />}
      {list.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((item) => (
              <OutboxRow key={item.id} item={item} onShow={show} onRetry={retry} />
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={list} label="Load older mail" />
      <Dialog open={open !== null} title={open?.subject ?? ''} onCancel={() => setOpen(null)}>
        {open && (
          <>
            <p className="muted">
              From {open.from} to {open.to}
              {open.replyTo && <> · replies to {open.replyTo}</>}
            </p>
            <pre className="mail-text">{open.text}</pre>
            <button type="button" className="button" onClick={() => setOpen(null)}>
              Close
            </button>
          </>
        )}
      </Dialog>
    </section>
  )
}

function OutboxRow({
  item,
  onShow,
  onRetry,
}: {
  item: OutboxItem
  onShow(id: string): void
  onRetry(id: string): void
}) {
  return (
    <tr>
      <td>
        <button type="button" className="link-button" onClick={() => onShow(item.id)}>
          {item.subject}
        </button>
      </td>
      <td>{item.to}</td>
      <td>
        {humanize(item.status)}
        {item.attempts > 0 && item.status !== 'sent' && (
          <span className="muted"> · {item.attempts} attempts</span>
        )}
        {item.lastError && <p className="field-error">{item.lastError}</p>}
      </td>
      <td>
        <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
      </td>
      <td>
        {item.status === 'failed' && (
          <button type="button" className="button" onClick={() => onRetry(item.id)}>
            Retry
          </button>
        )}
      </td>
    </tr>
  )
}
