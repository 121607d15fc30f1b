// SLA targets per priority: read by staff, replaced as a whole by admins (audited). New due
// times use them from the next change of each ticket on; due times already set stay.
import { auditOrigin } from '../audit/commands.ts'
import { route } from '../routes/define.ts'
import { setSlaTargets } from './commands.ts'
import { SlaPolicyItems } from './inputs.ts'
import { slaPolicies } from './policy.ts'
import { SlaPolicyList } from './presenters.ts'
import { slaPolicyItems } from './queries.ts'

export const listSlaPolicies = route
  .get('/sla-policies')
  .operationId('listSlaPolicies')
  .summary('First-response and resolution targets per priority, in minutes', 'sla')
  .auth(slaPolicies.read.permission)
  .response(200, SlaPolicyList)
  .handle(async ({ em }) => ({ items: await slaPolicyItems(em), nextCursor: null }))

export const replaceSlaPolicies = route
  .put('/sla-policies')
  .operationId('replaceSlaPolicies')
  .summary('Replace the targets: one item per priority (admin)', 'sla')
  .auth(slaPolicies.update.permission)
  .body(SlaPolicyItems)
  .response(200, SlaPolicyList)
  .handle(async ({ body, actor, ctx, em }) => {
    await setSlaTargets(em, auditOrigin(ctx, actor), body.items)
    return { items: await slaPolicyItems(em), nextCursor: null }
  })
