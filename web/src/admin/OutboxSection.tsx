// The outbox: every outgoing mail with its status, newest first; "failed" are the dead
// letters (out of attempts), which an admin can read and send again.
import { useState } from 'react'
import { mail } from '../api/endpoints.ts'
import type { OutboundMail, OutboxItem, OutboxStatus } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { usePaged } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { Dialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, InlineError, Loading, LoadMore } from '../ui/States.tsx'

const STATUSES: OutboxStatus[] = ['queued', 'sent', 'failed', 'held']
const STATUS_LABELS: Record<OutboxStatus, string> = {
  queued: m.outbox.statuses.queued,
  sent: m.outbox.statuses.sent,
  failed: m.outbox.statuses.failed,
  held: m.outbox.statuses.held,
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
      <h2 id="outbox-heading">{m.outbox.heading}</h2>
      <Field label={m.outbox.status}>
        {(control) => (
          <select
            {...control}
            value={status}
            onChange={(event) => setStatus(event.target.value as OutboxStatus | '')}
          >
            <option value="">{m.outbox.all}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <InlineError error={error} />
      {list.state === 'loading' && <Loading label={m.outbox.loading} />}
      {list.state === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.state === 'ready' && list.items.length === 0 && <EmptyState title={m.outbox.empty} />}
      {list.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{m.outbox.columns.subject}</th>
              <th scope="col">{m.outbox.columns.to}</th>
              <th scope="col">{m.outbox.columns.status}</th>
              <th scope="col">{m.outbox.columns.created}</th>
              <th scope="col">
                <span className="visually-hidden">{m.outbox.columns.actions}</span>
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
      <LoadMore list={list} label={m.outbox.loadOlder} />
      <Dialog open={open !== null} title={open?.subject ?? ''} onCancel={() => setOpen(null)}>
        {open && (
          <>
            <p className="muted">
              {m.outbox.fromTo(open)}
              {open.replyTo && m.outbox.repliesTo({ address: open.replyTo })}
            </p>
            <pre className="mail-text">{open.text}</pre>
            <button type="button" className="button" onClick={() => setOpen(null)}>
              {m.outbox.close}
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
        {STATUS_LABELS[item.status]}
        {item.attempts > 0 && item.status !== 'sent' && (
          <span className="muted">{m.outbox.attempts({ count: item.attempts })}</span>
        )}
        {item.lastError && <p className="field-error">{item.lastError}</p>}
      </td>
      <td>
        <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
      </td>
      <td>
        {item.status === 'failed' && (
          <button type="button" className="button" onClick={() => onRetry(item.id)}>
            {m.outbox.retry}
          </button>
        )}
      </td>
    </tr>
  )
}
