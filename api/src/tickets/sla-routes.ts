// SLA targets per priority: read by staff, replaced as a whole by admins (audited). New due
// times use them from the next change of each ticket on; due times already set stay.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { route } from '../routes/define.ts'
import { SlaPolicy } from './entities.ts'
import { slaPolicies } from './ticket-policy.ts'
import { TICKET_PRIORITIES, TicketPriority } from './vocabulary.ts'

/** A year: beyond that an SLA target means nothing. */
const MAX_MINUTES = 525_600

const SlaPolicyItem = z.strictObject({
  priority: TicketPriority,
  firstResponseMinutes: z.number().int().min(1).max(MAX_MINUTES),
  resolutionMinutes: z.number().int().min(1).max(MAX_MINUTES),
})
type SlaPolicyItem = z.infer<typeof SlaPolicyItem>

const SlaPolicyList = z.object({ items: z.array(SlaPolicyItem), nextCursor: z.null() })

async function allPolicies(em: EntityManager): Promise<SlaPolicyItem[]> {
  const rows = await em.find(SlaPolicy, {})
  const byPriority = new Map(rows.map((row) => [row.priority, row]))
  return TICKET_PRIORITIES.map((priority) => {
    const row = byPriority.get(priority)
    if (!row) throw new Error(`no SLA policy for ${priority}: the migration seeds all four`)
    return {
      priority,
      firstResponseMinutes: row.firstResponseMinutes,
      resolutionMinutes: row.resolutionMinutes,
    }
  })
}

export const listSlaPolicies = route
  .get('/sla-policies')
  .summary('First-response and resolution targets per priority, in minutes', 'sla')
  .auth(slaPolicies.read.permission)
  .response(200, SlaPolicyList)
  .handle(async ({ em }) => ({ items: await allPolicies(em), nextCursor: null }))

export const replaceSlaPolicies = route
  .put('/sla-policies')
  .summary('Replace the targets: one item per priority (admin)', 'sla')
  .auth(slaPolicies.update.permission)
  .body(
    z.object({
      items: z
        .array(SlaPolicyItem)
        .length(TICKET_PRIORITIES.length)
        .refine(
          (items) => new Set(items.map((item) => item.priority)).size === items.length,
          'one item per priority',
        ),
    }),
  )
  .response(200, SlaPolicyList)
  .handle(async ({ body, actor, ctx, em }) => {
    await em.transactional(async (tx) => {
      const before = await allPolicies(tx)
      for (const item of body.items) {
        await tx.nativeUpdate(
          SlaPolicy,
          { priority: item.priority },
          {
            firstResponseMinutes: item.firstResponseMinutes,
            resolutionMinutes: item.resolutionMinutes,
            updatedAt: new Date(),
          },
        )
      }
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'sla_policies.updated',
        targetType: 'sla_policies',
        details: { before, after: body.items },
      })
    })
    return { items: await allPolicies(em), nextCursor: null }
  })
