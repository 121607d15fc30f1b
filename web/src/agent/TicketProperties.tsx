// Status, priority, assignee, team and tags of a ticket. Each change is saved at once; the
// control shows the saved value, so a failed save snaps back and says why.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  type TicketChanges,
} from '../api/types.ts'
import { Field } from '../ui/Field.tsx'
import { humanize } from '../ui/format.ts'
import { InlineError, StatusLine } from '../ui/States.tsx'
import { useDirectory } from './directory.ts'

export interface TicketPropertiesProps {
  ticket: Ticket
  onSaved(ticket: Ticket): void
}

export function TicketProperties({ ticket, onSaved }: TicketPropertiesProps) {
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
      setStatus(`${label} saved.`)
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
        setStatus(`${label} saved.`)
      } else {
        setConflict({ label, changes, differences })
      }
    } finally {
      setSaving(null)
    }
  }

  // The current assignee or team stays selectable even if the directory is still loading.
  const agents = withCurrent(staff?.agents ?? [], ticket.assignee)
  const teams = withCurrent(staff?.teams ?? [], ticket.team)

  return (
    <section className="panel" aria-labelledby="properties-heading">
      <h2 id="properties-heading">Properties</h2>
      <div className="properties" aria-busy={saving !== null}>
        <Field label="Status">
          {(control) => (
            <select
              {...control}
              value={ticket.status}
              disabled={saving !== null}
              onChange={(event) =>
                save('Status', { status: event.target.value as Ticket['status'] })
              }
            >
              {TICKET_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {humanize(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Priority">
          {(control) => (
            <select
              {...control}
              value={ticket.priority}
              disabled={saving !== null}
              onChange={(event) =>
                save('Priority', { priority: event.target.value as Ticket['priority'] })
              }
            >
              {TICKET_PRIORITIES.map((value) => (
                <option key={value} value={value}>
                  {humanize(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Assignee">
          {(control) => (
            <select
              {...control}
              value={ticket.assignee?.id ?? ''}
              disabled={saving !== null}
              onChange={(event) => save('Assignee', { assigneeId: event.target.value || null })}
            >
              <option value="">Unassigned</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Team">
          {(control) => (
            <select
              {...control}
              value={ticket.team?.id ?? ''}
              disabled={saving !== null}
              onChange={(event) => save('Team', { teamId: event.target.value || null })}
            >
              <option value="">No team</option>
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
          onChange={(tags) => save('Tags', { tags })}
        />
      </div>
      {conflict && (
        <div className="notice notice-warning" role="alert">
          <p>
            Someone changed this ticket while you had it open, so your change to{' '}
            {conflict.label.toLowerCase()} was not saved. What changed:
          </p>
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
              Apply my change again
            </button>
            <button type="button" className="button" onClick={() => setConflict(null)}>
              Keep their version
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
    ['Subject', before.subject, after.subject],
    ['Status', humanize(before.status), humanize(after.status)],
    ['Priority', humanize(before.priority), humanize(after.priority)],
    ['Assignee', name(before.assignee, 'Unassigned'), name(after.assignee, 'Unassigned')],
    ['Team', name(before.team, 'No team'), name(after.team, 'No team')],
    ['Tags', before.tags.join(', ') || 'none', after.tags.join(', ') || 'none'],
  ]
  return pairs
    .filter(([, from, to]) => from !== to)
    .map(([label, from, to]) => `${label}: ${from} → ${to}`)
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
      <h3 className="field-label">Tags</h3>
      {tags.length === 0 ? (
        <p className="muted">No tags</p>
      ) : (
        <ul className="tags" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag} className="tag">
              {tag}
              <button
                type="button"
                className="tag-remove"
                disabled={disabled}
                aria-label={`Remove tag ${tag}`}
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
          Add tags (separate with commas)
        </label>
        <input
          id="add-tag"
          value={draft}
          placeholder="Add tags"
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button button-small" disabled={disabled}>
          Add
        </button>
      </form>
    </div>
  )
}
