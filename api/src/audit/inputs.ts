// Input schemas of the audit area: the filters of the audit log.
import { z } from 'zod'
import { shaped, Timestamp } from '../routes/text.ts'

export const AuditFilters = {
  actorId: z.uuid().optional(),
  action: shaped(/^[a-z_.]+$/, 'an action such as auth.login_failed', { max: 100 })
    .optional()
    .describe('An action, or the start of one: auth.login matches both sign-in outcomes'),
  since: Timestamp.optional(),
}
