import { z } from 'zod'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { AuditFilters } from './inputs.ts'
import { auditEvents } from './policy.ts'
import { AuditEventOut, presentAuditEvent } from './presenters.ts'
import { auditRows } from './queries.ts'

export const listAuditEvents = route
  .get('/audit-events')
  .operationId('listAuditEvents')
  .summary('The audit log, newest first (admin)', 'audit')
  .auth(auditEvents.read.permission)
  .query(z.object({ ...PageQuery, ...AuditFilters }))
  .response(200, pageOf(AuditEventOut))
  .handle(async ({ query, em }) =>
    toPage(await auditRows(em, query), query.limit, presentAuditEvent, (row) => [
      row.at_key,
      row.id,
    ]),
  )
