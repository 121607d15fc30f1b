// The append-only audit log: sign-ins, role and MFA changes, tokens, exports, erasures and
// settings changes, filtered by who, what and since when.
import { type FormEvent, useState } from 'react'
import { useDirectory } from '../agent/directory.ts'
import { admin } from '../api/endpoints.ts'
import type { AuditEvent, AuditFilters } from '../api/types.ts'
import { usePaged } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { Field } from '../ui/Field.tsx'
import { formatDateTime } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { EmptyState, ErrorState, Loading, LoadMore } from '../ui/States.tsx'
import { describeAuditEvent } from './auditActions.ts'

export function AuditPage() {
  const [filters, setFilters] = useState<AuditFilters>({})
  const list = usePaged(JSON.stringify(filters), (cursor, signal) =>
    admin.auditEvents(filters, cursor, signal),
  )
  return (
    <section className="page">
      <PageHeading title={m.audit.heading} />
      <AuditFilterForm onApply={setFilters} />
      {list.state === 'loading' && <Loading label={m.audit.loading} />}
      {list.state === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.state === 'ready' && list.items.length === 0 && <EmptyState title={m.audit.empty} />}
      {list.items.length > 0 && (
        <ol className="audit-list">
          {list.items.map((event) => (
            <li key={event.id}>
              <AuditRow event={event} />
            </li>
          ))}
        </ol>
      )}
      <LoadMore list={list} label={m.audit.loadOlder} />
    </section>
  )
}

function AuditFilterForm({ onApply }: { onApply(filters: AuditFilters): void }) {
  const directory = useDirectory()
  const [actorId, setActorId] = useState('')
  const [action, setAction] = useState('')
  const [since, setSince] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onApply({
      actorId: actorId || undefined,
      action: action.trim() || undefined,
      // datetime-local is the person's local time; the API wants an instant.
      since: since ? new Date(since).toISOString() : undefined,
    })
  }
  return (
    <form className="form-row filters-inline" onSubmit={submit}>
      <Field label={m.audit.actor}>
        {(control) => (
          <select {...control} value={actorId} onChange={(event) => setActorId(event.target.value)}>
            <option value="">{m.audit.anyone}</option>
            {directory.result.state === 'ready' &&
              directory.result.data.agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
          </select>
        )}
      </Field>
      <Field label={m.audit.action}>
        {(control) => (
          <input
            {...control}
            placeholder={m.audit.actionPlaceholder}
            value={action}
            onChange={(event) => setAction(event.target.value)}
          />
        )}
      </Field>
      <Field label={m.audit.since}>
        {(control) => (
          <input
            {...control}
            type="datetime-local"
            value={since}
            onChange={(event) => setSince(event.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="button">
        {m.audit.apply}
      </button>
    </form>
  )
}

function AuditRow({ event }: { event: AuditEvent }) {
  const hasDetails =
    event.details !== null &&
    event.details !== undefined &&
    !(typeof event.details === 'object' && Object.keys(event.details).length === 0)
  return (
    <article className="audit-row">
      <p className="audit-what">
        <strong>{actorName(event)}</strong>{' '}
        {describeAuditEvent(event, (target) => (
          <strong>{target}</strong>
        ))}
      </p>
      <p className="muted audit-meta">
        <time dateTime={event.at}>{formatDateTime(event.at)}</time> · <code>{event.action}</code>
        {event.ip && <> · {event.ip}</>}
        {event.userAgent && <span className="audit-agent"> · {event.userAgent}</span>}
      </p>
      {hasDetails && (
        <details>
          <summary>{m.audit.details}</summary>
          <pre className="audit-details">{JSON.stringify(event.details, null, 2)}</pre>
        </details>
      )}
    </article>
  )
}

/** No actor: a visitor who was not signed in (it has an address), or Helpdesk itself. */
function actorName(event: AuditEvent): string {
  if (event.actor) return event.actor.name
  return event.ip ? m.audit.visitor : m.audit.system
}
