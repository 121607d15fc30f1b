// One ticket, as an agent works it: conversation and composer beside its properties and
// history, with keyboard shortcuts to reply, note, assign and move along the queue, who else
// is on it, and a warning when someone answered while this was written.
import { useEffect, useRef, useState } from 'react'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { navigate } from '../router/router.tsx'
import { ClosedNotice } from '../tickets/ClosedNotice.tsx'
import { Composer, type ComposerHandle } from '../tickets/Composer.tsx'
import { Conversation } from '../tickets/Conversation.tsx'
import { PresenceLine } from '../tickets/PresenceLine.tsx'
import { TicketHeader } from '../tickets/TicketHeader.tsx'
import { Timeline } from '../tickets/Timeline.tsx'
import { usePresence } from '../tickets/usePresence.ts'
import { useTicket, useTicketHistory } from '../tickets/useTicket.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, Loading, StatusLine } from '../ui/States.tsx'
import { neighbourInQueue, rememberedQueuePath } from './queueTrail.ts'
import { useShortcuts } from './shortcuts.ts'
import { TicketProperties, type TicketPropertiesHandle } from './TicketProperties.tsx'

export function AgentTicketPage({ id }: { id: string }) {
  const { user } = useSession()
  const { ticket, messages, saved, messageSent, closedMeanwhile } = useTicket(id)
  const events = useTicketHistory(id)
  const composer = useRef<ComposerHandle>(null)
  const properties = useRef<TicketPropertiesHandle>(null)
  const [hint, setHint] = useState('')
  // biome-ignore lint/correctness/useExhaustiveDependencies: another ticket clears the hint
  useEffect(() => setHint(''), [id])
  const go = (step: 1 | -1) => {
    const neighbour = neighbourInQueue(id, step)
    if (neighbour) navigate(`/tickets/${neighbour}`)
    else setHint(step === 1 ? m.agentTicket.noNext : m.agentTicket.noPrevious)
  }
  useShortcuts({
    next: () => go(1),
    previous: () => go(-1),
    queue: () => navigate(rememberedQueuePath()),
    reply: () => composer.current?.start('reply'),
    note: () => composer.current?.start('note'),
    assignToMe: () => properties.current?.assignTo(user.id),
  })
  const [drafting, setDrafting] = useState(false)
  const others = usePresence(id, drafting ? 'replying' : 'viewing')
  if (ticket.result.state === 'loading') return <Loading label={m.agentTicket.loading} />
  if (ticket.result.state === 'error') {
    return (
      <section className="page">
        <PageHeading title={m.agentTicket.ticket} />
        <ErrorState error={ticket.result.error} onRetry={ticket.reload} />
      </section>
    )
  }
  const current = ticket.result.data
  const closed = current.status === 'closed'
  return (
    <div className="ticket-page">
      <TicketHeader
        ticket={current}
        back={{ to: '/tickets', label: m.shell.nav.tickets }}
        audience="agent"
      />
      {hint && <StatusLine message={hint} />}
      <div className="ticket-columns">
        <section className="ticket-conversation" aria-labelledby="conversation-heading">
          <h2 id="conversation-heading">{m.ticket.conversation}</h2>
          <PresenceLine others={others} />
          <Conversation list={messages} viewer={user} />
          {closed && (
            <ClosedNotice
              ticket={current}
              audience="agent"
              onSaved={(next) => {
                saved(next)
                events.reload()
              }}
            />
          )}
          {/* Hidden, not removed, while closed: a draft cut off by the close survives a reopen. */}
          <div hidden={closed}>
            <Composer
              ref={composer}
              ticketId={current.id}
              allowInternal
              collisions={{
                conversation: messages.items,
                writerId: user.id,
              }}
              onDrafting={setDrafting}
              onSent={(message) => {
                messageSent(message)
                events.reload()
              }}
              onClosed={() => {
                closedMeanwhile()
                events.reload()
              }}
            />
          </div>
        </section>
        <aside className="ticket-side" aria-label={m.agentTicket.details}>
          <TicketProperties
            ref={properties}
            ticket={current}
            onSaved={(next) => {
              saved(next)
              events.reload()
            }}
          />
          <section className="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">{m.agentTicket.history}</h2>
            <Timeline list={events} />
          </section>
        </aside>
      </div>
    </div>
  )
}
