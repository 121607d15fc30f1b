// The bar above a queue's list that applies one change to the tickets selected in it, and
// says what came of it: how many changed, and each ticket that could not be, with why.
import { type FormEvent, useId, useState } from 'react'
import { tickets } from '../api/endpoints.ts'
import type { Ticket } from '../api/types.ts'
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { InlineError } from '../ui/States.tsx'
import {
  BULK_ACTIONS,
  type BulkActionId,
  type BulkReport,
  bulkChangeOf,
  describeBulkResult,
  ME,
  NOBODY,
} from './bulk.ts'
import { useDirectory } from './directory.ts'

export interface BulkActionsProps {
  /** The tickets selected, as shown. */
  selected: readonly Ticket[]
  /** After the API answered: the list refreshes. */
  onApplied(): void
}

export function BulkActions({ selected, onApplied }: BulkActionsProps) {
  const { user } = useSession()
  const [action, setAction] = useState<BulkActionId>('assign')
  const [value, setValue] = useState('')
  const [report, setReport] = useState<BulkReport | null>(null)
  const applying = useAction()
  const id = useId()
  const count = selected.length

  const apply = (event: FormEvent) => {
    event.preventDefault()
    const change = bulkChangeOf(action, value, user.id)
    if ('missing' in change) return applying.setError(new Error(change.missing))
    const chosen = [...selected]
    return applying.run(async () => {
      setReport(null)
      const result = await tickets.updateMany({ ticketIds: chosen.map((t) => t.id), change })
      setReport(describeBulkResult(result, chosen))
      onApplied()
    })
  }

  return (
    <div className="bulk-actions">
      {/* Always present, so that every change of the count is announced. */}
      <p className="bulk-count" role="status">
        {count > 0 ? m.bulk.selected({ count }) : ''}
      </p>
      {count > 0 && (
        <form className="bulk-form" aria-label={m.bulk.form} onSubmit={apply}>
          <div className="field">
            <label htmlFor={`${id}-action`}>{m.bulk.change}</label>
            <select
              id={`${id}-action`}
              value={action}
              onChange={(event) => {
                setAction(event.target.value as BulkActionId)
                setValue('')
                applying.setError(null)
              }}
            >
              {BULK_ACTIONS.map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
          <ValueControl id={`${id}-value`} action={action} value={value} onChange={setValue} />
          <button type="submit" className="button button-primary" disabled={applying.busy}>
            {applying.busy ? m.bulk.applying : m.bulk.apply({ count })}
          </button>
        </form>
      )}
      <InlineError error={applying.error} />
      {/* Mounted before any report, so that each report is announced when it appears. */}
      <div role="status">
        {report && <BulkReportNotice report={report} onDismiss={() => setReport(null)} />}
      </div>
    </div>
  )
}

function BulkReportNotice({ report, onDismiss }: { report: BulkReport; onDismiss(): void }) {
  const failed = report.failures.length > 0
  return (
    <div className={`notice bulk-report ${failed ? 'notice-warning' : 'notice-success'}`}>
      <p className="bulk-summary">{report.summary}</p>
      {failed && (
        <ul className="bulk-failures">
          {report.failures.map((failure) => (
            <li key={failure}>{failure}</li>
          ))}
        </ul>
      )}
      <button type="button" className="link-button" onClick={onDismiss}>
        {m.bulk.dismiss}
      </button>
    </div>
  )
}

interface ValueControlProps {
  id: string
  action: BulkActionId
  value: string
  onChange(value: string): void
}

/** What the action sets: a choice for most, a tag typed for the tag actions. */
function ValueControl({ id, action, value, onChange }: ValueControlProps) {
  const label = VALUE_LABELS[action]
  if (action === 'addTag' || action === 'removeTag') {
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} value={value} onChange={(event) => onChange(event.target.value)} />
      </div>
    )
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{m.bulk.choose}</option>
        <ValueOptions action={action} />
      </select>
    </div>
  )
}

const VALUE_LABELS: Record<BulkActionId, string> = m.bulk.values

function ValueOptions({ action }: { action: 'assign' | 'status' | 'priority' | 'team' }) {
  const directory = useDirectory()
  const ready = directory.result.state === 'ready' ? directory.result.data : undefined
  switch (action) {
    case 'assign':
      return (
        <>
          <option value={ME}>{m.bulk.me}</option>
          <option value={NOBODY}>{m.bulk.nobody}</option>
          {ready?.agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </>
      )
    case 'team':
      return (
        <>
          <option value={NOBODY}>{m.bulk.noTeam}</option>
          {ready?.teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </>
      )
    case 'status':
      return TICKET_STATUSES.map((status) => (
        <option key={status} value={status}>
          {m.common.statuses[status]}
        </option>
      ))
    case 'priority':
      return TICKET_PRIORITIES.map((priority) => (
        <option key={priority} value={priority}>
          {m.common.priorities[priority]}
        </option>
      ))
  }
}
