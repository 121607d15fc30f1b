// Which events a person gets mail about: one switch per event of their role, saved at once.
import { auth } from '../api/endpoints.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { ErrorState, InlineError, Loading } from '../ui/States.tsx'

export function NotificationsSection() {
  const loaded = useLoad('notification-preferences', () => auth.notificationPreferences())
  const { busy, error, run } = useAction()
  const toggle = (name: string, on: boolean) =>
    void run(async () => {
      const saved = await auth.saveNotificationPreferences({ [name]: on })
      loaded.update(() => saved)
    })

  return (
    <section className="panel" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{m.account.notifications.heading}</h2>
      {loaded.result.state === 'loading' && <Loading />}
      {loaded.result.state === 'error' && (
        <ErrorState error={loaded.result.error} onRetry={loaded.reload} />
      )}
      {loaded.result.state === 'ready' && (
        <fieldset className="checkbox-list" disabled={busy}>
          <legend>{m.account.notifications.mailMeWhen}</legend>
          {loaded.result.data.events.map((event) => (
            <div className="checkbox-field" key={event.name}>
              <input
                id={`notify-${event.name}`}
                type="checkbox"
                checked={
                  loaded.result.state === 'ready' &&
                  loaded.result.data.preferences[event.name] === true
                }
                onChange={(change) => toggle(event.name, change.target.checked)}
              />
              <label htmlFor={`notify-${event.name}`}>{event.label}</label>
            </div>
          ))}
        </fieldset>
      )}
      <InlineError error={error} />
    </section>
  )
}
