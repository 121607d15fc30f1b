// Reads of the canned responses area: the ones a person may use, one of them, and what its
// placeholders are filled from on a ticket.
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { authorize, type PolicyAction } from '../policies/policy.ts'
import { decodeCursor, KeyText, toPage } from '../routes/pagination.ts'
import { CannedResponse, type CannedResponseEntity } from './entities.ts'
import type { PlaceholderContext } from './placeholders.ts'
import type { CannedResponseTarget } from './policy.ts'
import { presentCannedResponse } from './presenters.ts'

export type Scope = 'all' | 'shared' | 'personal'

/** A page of the shared responses and the actor's own, by shortcut. */
export async function cannedResponsePage(
  em: EntityManager,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined; scope: Scope },
) {
  const after = decodeCursor(page.cursor, z.tuple([KeyText, z.uuid()]))
  const owners = {
    all: { $or: [{ ownerId: null }, { ownerId: actor.userId }] },
    shared: { ownerId: null },
    personal: { ownerId: actor.userId },
  }[page.scope]
  const rows = await em.find(
    CannedResponse,
    after
      ? {
          $and: [
            owners,
            {
              $or: [{ shortcut: { $gt: after[0] } }, { shortcut: after[0], id: { $gt: after[1] } }],
            },
          ],
        }
      : owners,
    { orderBy: { shortcut: 'asc', id: 'asc' }, limit: page.limit + 1 },
  )
  return toPage(rows, page.limit, presentCannedResponse, (row) => [row.shortcut, row.id])
}

/** The response, if the actor may see it (404 otherwise) and do `action` to it (403). */
export async function cannedResponseFor(
  em: EntityManager,
  actor: Actor,
  action: PolicyAction<CannedResponseTarget>,
  id: string,
): Promise<CannedResponseEntity> {
  const response = await em.findOne(CannedResponse, { id })
  if (!response) throw new HttpError('not_found', { detail: 'no such canned response' })
  authorize(actor, action, { ownerId: response.ownerId ?? null })
  return response
}

/** The ticket's requester, number and subject and the agent's name, or null: no such ticket. */
export async function placeholderContext(
  em: EntityManager,
  ticketId: string,
  agentId: string,
): Promise<(PlaceholderContext & { requesterId: string }) | null> {
  const [row] = await em.execute<
    {
      number: number
      subject: string
      requester_id: string
      customer_name: string
      customer_email: string
      agent_name: string
    }[]
  >(
    `select t.number, t.subject, t.requester_id, c.name as customer_name,
            c.email as customer_email, a.name as agent_name
     from tickets t join users c on c.id = t.requester_id join users a on a.id = ?
     where t.id = ?`,
    [agentId, ticketId],
  )
  if (!row) return null
  return {
    requesterId: row.requester_id,
    customer: { name: row.customer_name, email: row.customer_email },
    agent: { name: row.agent_name },
    ticket: { number: Number(row.number), subject: row.subject },
  }
}
