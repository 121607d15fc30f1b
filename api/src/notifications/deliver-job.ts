// Delivers queued notifications: for each person with something due, everything queued for
// them becomes one mail in the outbox, in the same transaction that empties their queue.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Config } from '../config.ts'
import type { JobDefinition } from '../jobs/queue.ts'
import { domainOf } from '../mail/addresses.ts'
import { ensureThread, queueMail, threadHeaders, threadReplyAddress } from '../mail/commands.ts'
import { type MailSettings, readMailSettings, replyChannelAddress } from '../mail/queries.ts'
import { renderMail } from '../mail/templates.ts'
import { unsubscribeTokenOf } from './commands.ts'
import {
  carriesHumanText,
  type NotificationItem,
  notificationBlocks,
  notificationSubject,
  type TicketItems,
} from './content.ts'
import type { QueuedNotification } from './queries.ts'

/** How often due notifications are looked for: the latency added to the window. */
const DELIVERY_SECONDS = 2
/** People served per run: bounded work per transaction. */
const BATCH = 200
/** A person whose mail failed to be made is tried again this much later. */
const RETRY_FAILED_SECONDS = 300

interface Recipient {
  id: string
  email: string
  role: string
}

export const deliverNotifications: JobDefinition = {
  kind: 'notifications.deliver',
  everySeconds: DELIVERY_SECONDS,
  async handle({ em, services }) {
    const due = await em.execute<Recipient[]>(
      `select u.id, u.email, u.role from users u
       where u.id in (select recipient_id from notification_queue where deliver_after <= now()
                      order by deliver_after limit ?)`,
      [BATCH],
    )
    if (due.length === 0) return
    const settings = await readMailSettings(em, services.config)
    for (const recipient of due) {
      // One person's mail that cannot be made must not hold up everyone else's.
      await em.execute('savepoint notification_delivery')
      try {
        await deliverTo(em, services.config, settings, recipient)
      } catch (error) {
        em.clear()
        await em.execute('rollback to savepoint notification_delivery')
        services.logger.error({ err: error, userId: recipient.id }, 'notification mail failed')
        await em.execute(
          `update notification_queue set deliver_after = now() + make_interval(secs => ?)
           where recipient_id = ?`,
          [RETRY_FAILED_SECONDS, recipient.id],
        )
      }
    }
  },
}

async function deliverTo(
  em: EntityManager,
  config: Config,
  settings: MailSettings,
  recipient: Recipient,
): Promise<void> {
  const queued = await em.execute<QueuedNotification[]>(
    `delete from notification_queue where recipient_id = ?
     returning id, recipient_id, ticket_id, event, actor_id, message_id, details, created_at`,
    [recipient.id],
  )
  queued.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
  const tickets = await ticketItems(em, config, recipient, queued)
  if (tickets.length === 0) return
  const single = tickets.length === 1 ? (tickets[0] as TicketItems) : null
  const thread = single
    ? await ensureThread(em, single.ticketId, { domain: domainOf(settings.senderAddress) })
    : null
  const replyTo = thread
    ? threadReplyAddress(thread, await replyChannelAddress(em, thread.ticketId))
    : undefined
  const token = await unsubscribeTokenOf(em, recipient.id)
  const unsubscribeUrl = `${config.publicUrl}/api/v1/notifications/unsubscribe?token=${token}`
  const human = recipient.role === 'customer' && carriesHumanText(tickets)
  const content = renderMail(
    { subject: notificationSubject(tickets), blocks: notificationBlocks(tickets) },
    {
      signature: settings.signature,
      replyMarker: replyTo !== undefined,
      footer: [
        `You get this mail because of your Helpdesk notification settings: ${config.publicUrl}/account`,
        `Stop these mails: ${config.publicUrl}/unsubscribe?token=${token}`,
      ],
    },
  )
  await queueMail(
    em,
    config,
    {
      kind: 'notification',
      to: { address: recipient.email, userId: recipient.id },
      ...(single ? { ticketId: single.ticketId } : {}),
      ...(replyTo ? { replyTo } : {}),
      content,
      headers: {
        ...(thread ? threadHeaders(thread) : {}),
        ...(human ? {} : { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' }),
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
    settings,
  )
}

/** The queued items with what the mail shows of them; never an internal note's text. */
async function ticketItems(
  em: EntityManager,
  config: Config,
  recipient: Recipient,
  queued: QueuedNotification[],
): Promise<TicketItems[]> {
  if (queued.length === 0) return []
  const tickets = await em.execute<{ id: string; number: number; subject: string }[]>(
    'select id, number, subject from tickets where id in (?)',
    [[...new Set(queued.map((item) => item.ticket_id))]],
  )
  const people = await namesOf(
    em,
    queued.map((item) => item.actor_id),
  )
  const messageIds = queued.flatMap((item) => (item.message_id ? [item.message_id] : []))
  const messages = new Map(
    (messageIds.length === 0
      ? []
      : await em.execute<{ id: string; body: string; created_at: string | Date; author: string }[]>(
          `select m.id, m.body, m.created_at, u.name as author from messages m
           join users u on u.id = m.author_id
           where m.id in (?) and not m.internal`,
          [messageIds],
        )
    ).map((message) => [message.id, message]),
  )
  const section = recipient.role === 'customer' ? 'requests' : 'tickets'
  const byTicket = new Map<string, TicketItems>()
  for (const ticket of tickets) {
    byTicket.set(ticket.id, {
      ticketId: ticket.id,
      number: ticket.number,
      subject: ticket.subject,
      url: `${config.publicUrl}/${section}/${ticket.id}`,
      items: [],
    })
  }
  for (const item of queued) {
    const message = item.message_id ? messages.get(item.message_id) : undefined
    const entry: NotificationItem = {
      event: item.event,
      actorName: item.actor_id ? (people.get(item.actor_id) ?? null) : null,
      details: item.details,
      message: message
        ? { author: message.author, at: new Date(message.created_at), body: message.body }
        : null,
    }
    byTicket.get(item.ticket_id)?.items.push(entry)
  }
  return [...byTicket.values()].filter((ticket) => ticket.items.length > 0)
}

async function namesOf(em: EntityManager, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  if (wanted.length === 0) return new Map()
  const rows = await em.execute<{ id: string; name: string }[]>(
    'select id, name from users where id in (?)',
    [wanted],
  )
  return new Map(rows.map((row) => [row.id, row.name]))
}
