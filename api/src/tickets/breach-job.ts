// Flags tickets whose first-response or resolution due time has passed. One recurring job
// for the whole installation (src/jobs/queue.ts): whichever replica claims it runs it.
import type { JobDefinition } from '../jobs/queue.ts'
import { announceTicket } from '../live/news.ts'
import { noticeTicket } from '../notifications/commands.ts'

/** How soon after a due time passes its ticket is flagged, at most. */
const BREACH_CHECK_SECONDS = 30
/** Tickets flagged per statement: bounded work per transaction step. */
const BATCH = 1000

export const slaBreachCheck: JobDefinition = {
  kind: 'sla.breach-check',
  everySeconds: BREACH_CHECK_SECONDS,
  async handle({ em }) {
    let flagged: number
    do {
      // Tickets someone is changing right now are skipped (SKIP LOCKED): the next run gets them.
      const rows = await em.execute<{ id: string; requester_id: string }[]>(
        `with breached as (
           update tickets set sla_breached = true
           where id in (
             select id from tickets
             where not sla_breached and due_at < 'infinity' and due_at <= now()
             order by due_at
             limit ?
             for update skip locked)
           returning id, requester_id),
         recorded as (
           insert into ticket_events (ticket_id, actor_id, action, changes)
           select id, null, 'sla.breached', '{"slaBreached": {"from": false, "to": true}}'::jsonb
           from breached)
         select id, requester_id from breached`,
        [BATCH],
      )
      flagged = rows.length
      for (const row of rows) {
        await noticeTicket(em, row.id, null, [{ kind: 'breached' }])
        // Open queues and tickets show the breach without a reload.
        announceTicket({ kind: 'ticket.changed', ticketId: row.id, requesterId: row.requester_id })
      }
    } while (flagged === BATCH)
  },
}
