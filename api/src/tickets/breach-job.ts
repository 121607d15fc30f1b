// Flags tickets whose first-response or resolution due time has passed. One recurring job
// for the whole installation (src/jobs/queue.ts): whichever replica claims it runs it.
import type { JobDefinition } from '../jobs/queue.ts'
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
      const rows = await em.execute<{ id: string }[]>(
        `with breached as (
           update tickets set sla_breached = true
           where id in (
             select id from tickets
             where not sla_breached and due_at < 'infinity' and due_at <= now()
             order by due_at
             limit ?
             for update skip locked)
           returning id)
         insert into ticket_events (ticket_id, actor_id, action, changes)
         select id, null, 'sla.breached', '{"slaBreached": {"from": false, "to": true}}'::jsonb
         from breached
         returning ticket_id as id`,
        [BATCH],
      )
      flagged = rows.length
      for (const row of rows) await noticeTicket(em, row.id, null, [{ kind: 'breached' }])
    } while (flagged === BATCH)
  },
}
