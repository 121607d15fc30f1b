// Status, priority, assignee, team and tags of a ticket. Each change is saved at once; the
// control shows the saved value, so a failed save snaps back and says why.
import { type FormEvent, type Ref, useImperativeHandle, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  type TicketChanges,
} from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'
import { Field } from '../ui/Field.tsx'
import { InlineError, StatusLine } from '../ui/States.tsx'
import { useDirectory } from './directory.ts'

export interface TicketPropertiesProps {
  ticket: Ticket
  onSaved(ticket: Ticket): void
  ref?: Ref<TicketPropertiesHandle>
}

/** For keyboard shortcuts: a change saved as if made in the panel (its conflicts included). */
export interface TicketPropertiesHandle {
  assignTo(userId: string): void
}

export function TicketProperties({ ticket, onSaved, ref }: TicketPropertiesProps) {
  const directory = useDirectory()
  const staff = directory.result.state === 'ready' ? directory.result.data : undefined
  const [saving, setSaving] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [status, setStatus] = useState('')

  const [conflict, setConflict] = useState<Conflict | null>(null)

  const save = async (label: string, changes: TicketChanges) => {
    setSaving(label)
    setError(null)
    setStatus('')
    setConflict(null)
    try {
      onSaved(await tickets.update(ticket.id, changes))
      setStatus(m.properties.saved({ property: label }))
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 412)) {
        setError(failure)
        return
      }
      // Someone changed the ticket since it was loaded here: show theirs, then decide.
      const current = await tickets.get(ticket.id).catch(() => null)
      if (!current) {
        setError(failure)
        return
      }
      onSaved(current)
      const differences = differencesBetween(ticket, current)
      // Only a reply or a file came in: nothing of this panel changed, so the change stands.
      if (differences.length === 0) {
        onSaved(await tickets.update(ticket.id, changes))
        setStatus(m.properties.saved({ property: label }))
      } else {
        setConflict({ label, changes, differences })
      }
    } finally {
      setSaving(null)
    }
  }

  useImperativeHandle(ref, () => ({
    assignTo(userId) {
      if (saving === null && ticket.assignee?.id !== userId) {
        void save(m.properties.assignee, { assigneeId: userId })
      }
    },
  }))

  // The current assignee or team stays selectable even if the directory is still loading.
  const agents = withCurrent(staff?.agents ?? [], ticket.assignee)
  const teams = withCurrent(staff?.teams ?? [], ticket.team)

  return (
    <section className="panel" aria-labelledby="properties-heading">
      <h2 id="properties-heading">{m.properties.heading}</h2>
      <div className="properties" aria-busy={saving !== null}>
        <Field label={m.properties.status}>
          {(control) => (
            <select
              {...control}
              value={ticket.status}
              disabled={saving !== null}
              onChange={(event) =>
                save(m.properties.status, { status: event.target.value as Ticket['status'] })
              }
            >
              {TICKET_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {m.common.statuses[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={m.properties.priority}>
          {(control) => (
            <select
              {...control}
              value={ticket.priority}
              disabled={saving !== null}
              onChange={(event) =>
                save(m.properties.priority, { priority: event.target.value as Ticket['priority'] })
              }
            >
              {TICKET_PRIORITIES.map((value) => (
                <option key={value} value={value}>
                  {m.common.priorities[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={m.properties.assignee}>
          {(control) => (
            <select
              {...control}
              value={ticket.assignee?.id ?? ''}
              disabled={saving !== null}
              onChange={(event) =>
                save(m.properties.assignee, { assigneeId: event.target.value || null })
              }
            >
              <option value="">{m.common.unassigned}</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={m.properties.team}>
          {(control) => (
            <select
              {...control}
              value={ticket.team?.id ?? ''}
              disabled={saving !== null}
              onChange={(event) => save(m.properties.team, { teamId: event.target.value || null })}
            >
              <option value="">{m.properties.noTeam}</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TagEditor
          tags={ticket.tags}
          disabled={saving !== null}
          onChange={(tags) => save(m.properties.tags, { tags })}
        />
      </div>
      {conflict && (
        <div className="notice notice-warning" role="alert">
          <p>{m.properties.conflict({ property: conflict.label.toLowerCase() })}</p>
          <ul>
            {conflict.differences.map((difference) => (
              <li key={difference}>{difference}</li>
            ))}
          </ul>
          <div className="button-row">
            <button
              type="button"
              className="button button-primary"
              onClick={() => void save(conflict.label, conflict.changes)}
            >
              {m.properties.applyAgain}
            </button>
            <button type="button" className="button" onClick={() => setConflict(null)}>
              {m.properties.keepTheirs}
            </button>
          </div>
        </div>
      )}
      <InlineError error={error} />
      {status && <StatusLine message={status} />}
    </section>
  )
}

interface Conflict {
  /** The property the person changed, and how. */
  label: string
  changes: TicketChanges
  /** What someone else changed meanwhile, as sentences. */
  differences: string[]
}

/** The properties someone else changed, e.g. "Status: Open → Pending". */
export function differencesBetween(before: Ticket, after: Ticket): string[] {
  const name = (person: { name: string } | null, none: string) => person?.name ?? none
  const pairs: [string, string, string][] = [
    [m.properties.subject, before.subject, after.subject],
    [m.properties.status, m.common.statuses[before.status], m.common.statuses[after.status]],
    [
      m.properties.priority,
      m.common.priorities[before.priority],
      m.common.priorities[after.priority],
    ],
    [
      m.properties.assignee,
      name(before.assignee, m.common.unassigned),
      name(after.assignee, m.common.unassigned),
    ],
    [
      m.properties.team,
      name(before.team, m.properties.noTeam),
      name(after.team, m.properties.noTeam),
    ],
    [
      m.properties.tags,
      before.tags.join(', ') || m.properties.none,
      after.tags.join(', ') || m.properties.none,
    ],
  ]
  return pairs
    .filter(([, from, to]) => from !== to)
    .map(([property, from, to]) => m.properties.difference({ property, from, to }))
}

function withCurrent<T extends { id: string; name: string }>(
  options: T[],
  current: { id: string; name: string } | null,
): { id: string; name: string }[] {
  if (!current || options.some((option) => option.id === current.id)) return options
  return [current, ...options]
}

function TagEditor({
  tags,
  disabled,
  onChange,
}: {
  tags: string[]
  disabled: boolean
  onChange(tags: string[]): void
}) {
  const [draft, setDraft] = useState('')
  const add = (event: FormEvent) => {
    event.preventDefault()
    const fresh = draft
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag && !tags.includes(tag))
    setDraft('')
    if (fresh.length > 0) onChange([...tags, ...new Set(fresh)])
  }
  return (
    <div className="tag-editor">
      <h3 className="field-label">{m.properties.tags}</h3>
      {tags.length === 0 ? (
        <p className="muted">{m.properties.noTags}</p>
      ) : (
        <ul className="tags" aria-label={m.properties.tags}>
          {tags.map((tag) => (
            <li key={tag} className="tag">
              {tag}
              <button
                type="button"
                className="tag-remove"
                disabled={disabled}
                aria-label={m.properties.removeTag({ tag })}
                onClick={() => onChange(tags.filter((other) => other !== tag))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={add}>
        <label htmlFor="add-tag" className="visually-hidden">
          {m.properties.addTagsLabel}
        </label>
        <input
          id="add-tag"
          value={draft}
          placeholder={m.properties.addTagsPlaceholder}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button button-small" disabled={disabled}>
          {m.properties.add}
        </button>
      </form>
    </div>
  )
}
