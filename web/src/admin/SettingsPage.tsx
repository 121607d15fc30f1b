// Instance settings: self sign-up, and which priorities customers may choose.
import { type FormEvent, useEffect, useState } from 'react'
import { admin } from '../api/endpoints.ts'
import { TICKET_PRIORITIES, type TicketPriority } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, InlineError, Loading, StatusLine } from '../ui/States.tsx'

export function SettingsPage() {
  const settings = useLoad('settings', () => admin.settings())
  const [selfSignup, setSelfSignup] = useState(false)
  const [customerPriorities, setCustomerPriorities] = useState<TicketPriority[]>([])
  const { busy, error, run, setError } = useAction()
  const [status, setStatus] = useState('')
  const loaded = settings.result.state === 'ready' ? settings.result.data : undefined

  useEffect(() => {
    if (!loaded) return
    setSelfSignup(loaded.selfSignupEnabled)
    setCustomerPriorities(loaded.customerPriorities)
  }, [loaded])

  const offer = (priority: TicketPriority, offered: boolean) =>
    setCustomerPriorities((current) =>
      offered ? [...current, priority] : current.filter((value) => value !== priority),
    )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setStatus('')
    if (customerPriorities.length === 0) {
      setError(new Error(m.settings.onePriority))
      return
    }
    void run(async () => {
      const saved = await admin.saveSettings({ selfSignupEnabled: selfSignup, customerPriorities })
      settings.update(() => saved)
      setStatus(m.settings.saved)
    })
  }

  return (
    <section className="page page-narrow">
      <PageHeading title={m.settings.heading} />
      {settings.result.state === 'loading' && <Loading />}
      {settings.result.state === 'error' && (
        <ErrorState error={settings.result.error} onRetry={settings.reload} />
      )}
      {loaded && (
        <form className="form" onSubmit={submit}>
          <div className="checkbox-field">
            <input
              id="self-signup"
              type="checkbox"
              checked={selfSignup}
              onChange={(event) => setSelfSignup(event.target.checked)}
              aria-describedby="self-signup-hint"
            />
            <label htmlFor="self-signup">{m.settings.selfSignup}</label>
            <p id="self-signup-hint" className="field-hint">
              {m.settings.selfSignupHint}
            </p>
          </div>
          <fieldset className="checkbox-list" aria-describedby="customer-priorities-hint">
            <legend>{m.settings.customerPriorities}</legend>
            {TICKET_PRIORITIES.map((priority) => (
              <div className="checkbox-field" key={priority}>
                <input
                  id={`customer-priority-${priority}`}
                  type="checkbox"
                  checked={customerPriorities.includes(priority)}
                  onChange={(event) => offer(priority, event.target.checked)}
                />
                <label htmlFor={`customer-priority-${priority}`}>
                  {m.common.priorities[priority]}
                </label>
              </div>
            ))}
            <p id="customer-priorities-hint" className="field-hint">
              {m.settings.customerPrioritiesHint}
            </p>
          </fieldset>
          <InlineError error={error} />
          {status && <StatusLine message={status} />}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? m.common.saving : m.settings.save}
          </button>
        </form>
      )}
    </section>
  )
}
