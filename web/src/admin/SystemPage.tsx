// What the API reports about itself (/healthz): each dependency, its latency, the version.
import { admin } from '../api/endpoints.ts'
import type { HealthCheck } from '../api/types.ts'
import { useLoad } from '../hooks/data.ts'
import { humanize } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, Loading } from '../ui/States.tsx'

export function SystemPage() {
  const health = useLoad('health', (signal) => admin.health(signal))
  return (
    <section className="page page-narrow">
      <div className="page-title-row">
        <PageHeading title="System" />
        <button type="button" className="button" onClick={health.reload}>
          Refresh
        </button>
      </div>
      {health.result.state === 'loading' && <Loading label="Checking…" />}
      {health.result.state === 'error' && (
        <ErrorState error={health.result.error} onRetry={health.reload} />
      )}
      {health.result.state === 'ready' && (
        <>
          <p className={`health-summary health-${health.result.data.status}`} role="status">
            Overall: <strong>{statusLabel(health.result.data.status)}</strong>
          </p>
          <table className="table">
            <caption className="visually-hidden">Dependency checks</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(health.result.data.checks).map(([name, check]) => (
                <tr key={name}>
                  <th scope="row">{humanize(name)}</th>
                  <td>
                    <span className={`badge health-${check.status}`}>
                      {statusLabel(check.status)}
                    </span>
                  </td>
                  <td>
                    {check.latencyMs === undefined ? '—' : `${Math.round(check.latencyMs)} ms`}
                  </td>
                  <td className="health-facts">{checkFacts(check)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="facts">
            <dt>API version</dt>
            <dd>{health.result.data.version}</dd>
            <dt>Web app version</dt>
            <dd>{__HELPDESK_WEB_VERSION__}</dd>
          </dl>
        </>
      )}
    </section>
  )
}

const statusLabel = (status: string) => (status === 'ok' ? 'OK' : humanize(status))

/** The detail of a failed check, or what else the check reports (schema, mode, location). */
function checkFacts({ status, latencyMs, detail, ...facts }: HealthCheck): string {
  if (detail) return detail
  return Object.entries(facts)
    .map(
      ([name, value]) =>
        `${name}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(', ')
}
