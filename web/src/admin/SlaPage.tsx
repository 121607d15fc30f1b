// SLA targets per priority: how soon a first response and a resolution are due.
import { type FormEvent, useEffect, useState } from 'react'
import { admin } from '../api/endpoints.ts'
import { type SlaPolicy, TICKET_PRIORITIES, type TicketPriority } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, InlineError, Loading, StatusLine } from '../ui/States.tsx'

type Drafts = Record<TicketPriority, { firstResponse: string; resolution: string }>

const hours = (minutes: number | undefined) =>
  minutes === undefined ? '' : String(Math.round((minutes / 60) * 100) / 100)

function toDrafts(policies: SlaPolicy[]): Drafts {
  const byPriority = new Map(policies.map((policy) => [policy.priority, policy]))
  return Object.fromEntries(
    TICKET_PRIORITIES.map((priority) => {
      const policy = byPriority.get(priority)
      return [
        priority,
        {
          firstResponse: hours(policy?.firstResponseMinutes),
          resolution: hours(policy?.resolutionMinutes),
        },
      ]
    }),
  ) as Drafts
}

/** Hours as typed → whole minutes; an error message for anything else. */
export function parseHours(text: string): number | string {
  const value = Number(text.trim().replace(',', '.'))
  if (!text.trim() || !Number.isFinite(value) || value <= 0) return m.slaTargets.hoursNeeded
  if (value > 24 * 365) return m.slaTargets.atMostAYear
  return Math.max(1, Math.round(value * 60))
}

function validate(drafts: Drafts): { policies: SlaPolicy[]; errors: Record<string, string> } {
  const policies: SlaPolicy[] = []
  const errors: Record<string, string> = {}
  for (const priority of TICKET_PRIORITIES) {
    const firstResponse = parseHours(drafts[priority].firstResponse)
    const resolution = parseHours(drafts[priority].resolution)
    if (typeof firstResponse === 'string') errors[`${priority}.firstResponse`] = firstResponse
    if (typeof resolution === 'string') errors[`${priority}.resolution`] = resolution
    if (typeof firstResponse === 'number' && typeof resolution === 'number') {
      if (resolution < firstResponse) {
        errors[`${priority}.resolution`] = m.slaTargets.resolutionFirst
      }
      policies.push({
        priority,
        firstResponseMinutes: firstResponse,
        resolutionMinutes: resolution,
      })
    }
  }
  return { policies, errors }
}

export function SlaPage() {
  const policies = useLoad('sla', () => admin.slaPolicies())
  const [drafts, setDrafts] = useState<Drafts | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const { busy, error, run } = useAction()
  const [status, setStatus] = useState('')
  const loaded = policies.result.state === 'ready' ? policies.result.data : undefined

  useEffect(() => {
    if (loaded) setDrafts(toDrafts(loaded))
  }, [loaded])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!drafts) return
    const checked = validate(drafts)
    setErrors(checked.errors)
    setStatus('')
    if (Object.keys(checked.errors).length > 0) return
    void run(async () => {
      const saved = await admin.saveSlaPolicies(checked.policies)
      policies.update(() => saved)
      setStatus(m.slaTargets.saved)
    })
  }

  const edit = (priority: TicketPriority, field: 'firstResponse' | 'resolution', value: string) =>
    setDrafts((current) =>
      current ? { ...current, [priority]: { ...current[priority], [field]: value } } : current,
    )

  return (
    <section className="page page-narrow">
      <PageHeading title={m.slaTargets.heading} />
      <p>{m.slaTargets.intro}</p>
      {policies.result.state === 'loading' && <Loading />}
      {policies.result.state === 'error' && (
        <ErrorState error={policies.result.error} onRetry={policies.reload} />
      )}
      {drafts && (
        <form onSubmit={submit} noValidate>
          <table className="table sla-table">
            <caption className="visually-hidden">{m.slaTargets.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{m.slaTargets.priority}</th>
                <th scope="col">{m.slaTargets.firstResponse}</th>
                <th scope="col">{m.slaTargets.resolution}</th>
              </tr>
            </thead>
            <tbody>
              {TICKET_PRIORITIES.map((priority) => (
                <tr key={priority}>
                  <th scope="row">{m.common.priorities[priority]}</th>
                  {(['firstResponse', 'resolution'] as const).map((field) => (
                    <td key={field}>
                      <HoursInput
                        label={(field === 'firstResponse'
                          ? m.slaTargets.firstResponseOf
                          : m.slaTargets.resolutionOf)({
                          priority: m.common.priorities[priority],
                        })}
                        value={drafts[priority][field]}
                        error={errors[`${priority}.${field}`]}
                        onChange={(value) => edit(priority, field, value)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <InlineError error={error} />
          {status && <StatusLine message={status} />}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? m.common.saving : m.slaTargets.save}
          </button>
        </form>
      )}
    </section>
  )
}

function HoursInput({
  label,
  value,
  error,
  onChange,
}: {
  label: string
  value: string
  error?: string
  onChange(value: string): void
}) {
  const id = `sla-${label.replaceAll(' ', '-').toLowerCase()}`
  return (
    <>
      <input
        id={id}
        aria-label={label}
        inputMode="decimal"
        className="input-short"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </>
  )
}
