// Shown instead of sending when someone else added to the ticket while this was being
// written: what arrived, then the choice to send anyway or to read it first.
import { messages as m } from '../i18n/messages.ts'
import type { Arrival } from './useArrivals.ts'

const EXCERPT_CHARACTERS = 160

export function CollisionWarning({
  arrivals,
  onSendAnyway,
  onReview,
}: {
  arrivals: readonly Arrival[]
  onSendAnyway(): void
  onReview(): void
}) {
  return (
    <div className="notice notice-warning collision-warning" role="alert">
      <p>
        <strong>{m.collision.arrived({ count: arrivals.length })}</strong>
      </p>
      <ul className="collision-arrivals">
        {arrivals.map((arrival) => (
          <li key={arrival.id}>{describe(arrival)}</li>
        ))}
      </ul>
      <div className="composer-actions">
        <button type="button" className="button" onClick={onReview}>
          {m.collision.reviewFirst}
        </button>
        <button type="button" className="button button-primary" onClick={onSendAnyway}>
          {m.collision.sendAnyway}
        </button>
      </div>
    </div>
  )
}

function describe({ message }: Arrival): string {
  if (!message) return m.collision.stillLoading
  const text = message.body.replace(/\s+/g, ' ').trim()
  const excerpt =
    text.length > EXCERPT_CHARACTERS ? `${text.slice(0, EXCERPT_CHARACTERS - 1)}…` : text
  const said = message.internal ? m.collision.addedNote : m.collision.replied
  return said({ name: message.author.name, excerpt })
}
