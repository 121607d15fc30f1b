// What the API reports about itself (/healthz): each dependency in words, and the versions.
import { admin } from '../api/endpoints.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { humanize } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, Loading } from '../ui/States.tsx'
import { describeHealth } from './healthWords.ts'

export function SystemPage() {
  const health = useLoad('health', (signal) => admin.health(signal))
  return (
    <section className="page page-narrow">
      <div className="page-title-row">
        <PageHeading title={m.system.heading} />
        <button type="button" className="button" onClick={health.reload}>
          {m.system.refresh}
        </button>
      </div>
      {health.result.state === 'loading' && <Loading label={m.system.checking} />}
      {health.result.state === 'error' && (
        <ErrorState error={health.result.error} onRetry={health.reload} />
      )}
      {health.result.state === 'ready' && (
        <>
          <p className={`health-summary health-${health.result.data.status}`} role="status">
            {m.system.overall} <strong>{statusLabel(health.result.data.status)}</strong>
          </p>
          <table className="table">
            <caption className="visually-hidden">{m.system.dependencies}</caption>
            <thead>
              <tr>
                <th scope="col">{m.system.dependency}</th>
                <th scope="col">{m.system.status}</th>
                <th scope="col">{m.system.state}</th>
              </tr>
            </thead>
            <tbody>
              {describeHealth(health.result.data.checks).map((dependency) => (
                <tr key={dependency.name}>
                  <th scope="row">{dependency.name}</th>
                  <td>
                    <span className={`badge health-${dependency.status}`}>
                      {statusLabel(dependency.status)}
                    </span>
                  </td>
                  <td className="health-facts">{dependency.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="facts">
            <dt>{m.system.apiVersion}</dt>
            <dd>{health.result.data.version}</dd>
            <dt>{m.system.webVersion}</dt>
            <dd>{__HELPDESK_WEB_VERSION__}</dd>
          </dl>
        </>
      )}
    </section>
  )
}

const statusLabel = (status: string) => (status === 'ok' ? m.system.ok : humanize(status))
