// Sends one outbox row. The job runs in the queue's transaction with the row locked: the row
// is marked sent in the same commit that removes the job, so a worker that dies after the
// server accepted the mail leaves the job to run again — and the copy it sends carries the
// same Message-ID, which receiving systems recognise as the same mail.
import { HttpError } from '../errors.ts'
import { instanceId } from '../instance/queries.ts'
import type { JobDefinition } from '../jobs/queue.ts'
import { LOOP_HEADER } from './addresses.ts'
import { SEND_MAIL_JOB } from './commands.ts'
import { findOutboundMail } from './queries.ts'
import { transportFor } from './transport.ts'

/** 5 s, 10 s, 20 s ... an hour apart: about 7 hours of retries before a mail is a dead letter. */
export const SEND_MAIL_MAX_ATTEMPTS = 15

const NO_SMTP = 'no SMTP server is configured (SMTP_HOST): the mail is kept here'

export const sendMailJob: JobDefinition = {
  kind: SEND_MAIL_JOB,
  maxAttempts: SEND_MAIL_MAX_ATTEMPTS,
  async handle({ em, payload, services }) {
    const { id } = payload as { id: string }
    const mail = await findOutboundMail(em, id, { forUpdate: true }).catch(goneOrThrow)
    if (!mail || mail.status === 'sent') return
    const transport = transportFor(services)
    if (!transport) {
      await em.execute(
        `update outbound_mail set status = 'held', last_error = ?, next_attempt_at = null
         where id = ?`,
        [NO_SMTP, id],
      )
      return
    }
    await transport.send(mail, { [LOOP_HEADER]: await instanceId(em) })
    await em.execute(
      `update outbound_mail set status = 'sent', sent_at = now(), attempts = attempts + 1,
         last_error = null, next_attempt_at = null
       where id = ?`,
      [id],
    )
  },
  async onFailure({ em, payload, error, gaveUp, retryAt }) {
    const { id } = payload as { id: string }
    await em.execute(
      `update outbound_mail set attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
         status = case when ? then 'failed' else 'queued' end
       where id = ?`,
      [describe(error), retryAt ?? null, gaveUp, id],
    )
  },
}

/**
 * A mail erased with its person is nothing to send; any other failure (a lock wait that timed
 * out) has aborted the transaction, so it must fail the attempt, not pass for a sent mail.
 */
function goneOrThrow(error: unknown): null {
  if (error instanceof HttpError && error.type === 'not_found') return null
  throw error
}

/** What admins see of a failure: the server's answer, never credentials. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 1000)
  const code = (error as { code?: string; responseCode?: number }).code
  return `${code ? `${code}: ` : ''}${error.message}`.slice(0, 1000)
}
