// One mail read from a channel becomes a ticket, a reply on one, or a line in the channel's
// activity that says why it was left alone — exactly once: the row for its Message-ID, the
// ticket's change and the channel's UID all commit together, and a second delivery of the
// same mail (another UID, another replica) finds that row and changes nothing.
import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser'
import { mailInvitation } from '../accounts/account-mail.ts'
import { createUser } from '../accounts/commands.ts'
import type { UserEntity } from '../accounts/entities.ts'
import { findUserByEmail } from '../accounts/queries.ts'
import { addAttachment } from '../attachments/commands.ts'
import { sanitizeFilename } from '../attachments/filename.ts'
import { SNIFF_BYTES, sniffContentType } from '../attachments/sniff.ts'
import { HttpError } from '../errors.ts'
import type { Actor } from '../http/actor.ts'
import { instanceId } from '../instance/queries.ts'
import { domainOf, tokenInAddress } from '../mail/addresses.ts'
import { ensureThread, queueMail, threadHeaders, threadReplyAddress } from '../mail/commands.ts'
import {
  readMailSettings,
  ticketOfOutboundMessageIds,
  ticketOfReplyToken,
} from '../mail/queries.ts'
import { renderMail } from '../mail/templates.ts'
import { preferencesOf } from '../notifications/queries.ts'
import { announcing } from '../platform/announcements.ts'
import type { Services } from '../platform/services.ts'
import { permissionsOf } from '../policies/policy.ts'
import { isRole } from '../policies/roles.ts'
import { addMessage, type ByMail, createTicket } from '../tickets/commands.ts'
import { Ticket } from '../tickets/entities.ts'
import { type Classification, classify, type MailHeaders } from './classify.ts'
import {
  type ChannelRow,
  channelAddresses,
  recentMailsFrom,
  ticketOfInboundMessageIds,
} from './queries.ts'
import { trimQuotedHistory } from './quoted.ts'
import { sanitizeMailHtml } from './sanitize.ts'

export type Outcome =
  | { outcome: 'created' | 'replied'; ticketId: string }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'duplicate' }

/** More mails than this from one sender within an hour: automatic answers stop (a loop). */
const MAILS_PER_HOUR_BEFORE_SILENCE = 10
const SUBJECT_MAX = 200
const BODY_MAX = 100_000
/** C0/C1 controls other than tab and line breaks: what the API never stores in text. */
const CONTROL_RANGES = '\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F'
const CONTROLS = new RegExp(`[${CONTROL_RANGES}]`, 'g')

export async function receiveMail(
  services: Services,
  channel: ChannelRow,
  raw: Buffer,
  uid: number,
): Promise<Outcome> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true })
  const messageId = normalizedMessageId(parsed.messageId, raw)
  const stored: string[] = []
  try {
    return await announcing(services.events, services.logger, () =>
      services.orm.em.fork().transactional(async (em) => {
        const claimed = await em.execute<{ id: string }[]>(
          `insert into inbound_messages (channel_id, message_id, from_address, subject, outcome)
         values (?, ?, ?, ?, 'ignored') on conflict (message_id) do nothing returning id`,
          [
            channel.id,
            messageId,
            senderOf(parsed)?.address ?? '',
            oneLine(parsed.subject ?? '', SUBJECT_MAX),
          ],
        )
        await advance(em, channel.id, uid)
        const row = claimed[0]
        if (!row) return { outcome: 'duplicate' } as const
        const outcome = await decide(em, services, channel, parsed, messageId, stored)
        await em.execute(
          `update inbound_messages set outcome = ?, reason = ?, ticket_id = ? where id = ?`,
          [
            outcome.outcome,
            outcome.outcome === 'ignored' ? outcome.reason : null,
            'ticketId' in outcome ? outcome.ticketId : null,
            row.id,
          ],
        )
        return outcome
      }),
    )
  } catch (error) {
    await Promise.all(stored.map((key) => services.storage.delete(key).catch(() => {})))
    throw error
  }
}

/** The channel has read up to this UID (in the same commit as what the mail did). */
async function advance(em: EntityManager, channelId: string, uid: number): Promise<void> {
  await em.execute(
    `update mail_channels set last_uid = greatest(last_uid, ?), messages_read = messages_read + 1
     where id = ?`,
    [uid, channelId],
  )
}

async function decide(
  em: EntityManager,
  services: Services,
  channel: ChannelRow,
  parsed: ParsedMail,
  messageId: string,
  stored: string[],
): Promise<Exclude<Outcome, { outcome: 'duplicate' }>> {
  const sender = senderOf(parsed)
  if (!sender) return { outcome: 'ignored', reason: 'no sender address' }
  const headers = headersOf(parsed)
  const own = new Set([
    ...(await channelAddresses(em)),
    (await readMailSettings(em, services.config)).senderAddress,
  ])
  const kind = classify(headers, sender.address, own, await instanceId(em))
  if (kind.kind === 'loop' || kind.kind === 'bounce') {
    return { outcome: 'ignored', reason: `${kind.kind}: ${kind.reason}` }
  }
  const text = clean(parsed.text ?? '', Number.POSITIVE_INFINITY)
  const byMail: ByMail = {
    teamId: channel.team_id,
    fullBody: text.slice(0, 1_000_000),
    htmlBody: typeof parsed.html === 'string' ? sanitizeMailHtml(parsed.html) : null,
  }
  const body = trimQuotedHistory(text).slice(0, BODY_MAX) || '(no text)'
  const ticketId = await threadOf(em, parsed, headers)
  let user = await findUserByEmail(em, sender.address)
  const ticket = ticketId ? await em.findOne(Ticket, { id: ticketId }) : null
  if (ticket && user && ticket.status !== 'closed') {
    const staff = user.role !== 'customer'
    if (ticket.requesterId === user.id || staff) {
      // An out-of-office answer from an agent must not reach the customer as a reply.
      if (staff && kind.kind === 'automatic') {
        return { outcome: 'ignored', reason: `automatic mail from staff: ${kind.reason}` }
      }
      const message = await addMessage(em, actorOf(user), ticket.id, { body }, { byMail })
      await attach(em, services, user, ticket.id, message.id, parsed, stored)
      if (ticket.requesterId === user.id) {
        await em.execute(
          'update mail_threads set last_inbound_message_id = ? where ticket_id = ?',
          [messageId, ticket.id],
        )
      }
      return { outcome: 'replied', ticketId: ticket.id }
    }
  }
  // A first mail makes the sender a customer, invited (once) to set a password.
  const invite = user === null
  user ??= await newCustomer(em, sender)
  const subject = oneLine(parsed.subject ?? '', SUBJECT_MAX) || '(no subject)'
  const created = await createTicket(em, actorOf(user), { subject, body }, byMail)
  await attach(em, services, user, created.ticketId, created.messageId, parsed, stored)
  const settings = await readMailSettings(em, services.config)
  const thread = await ensureThread(em, created.ticketId, {
    domain: domainOf(settings.senderAddress),
    rootMessageId: messageId,
    channelId: channel.id,
  })
  if (await answers(em, user, sender.address, kind)) {
    await acknowledge(em, services, user, created.ticketId, thread, channel.address, invite)
  }
  return { outcome: 'created', ticketId: created.ticketId }
}

/** The ticket a mail answers: its token in an address, else the mails it refers to. */
async function threadOf(
  em: EntityManager,
  parsed: ParsedMail,
  headers: MailHeaders,
): Promise<string | null> {
  const addresses = [
    ...addressesOf(parsed.to),
    ...addressesOf(parsed.cc),
    ...['delivered-to', 'x-original-to'].flatMap((name) => headers.get(name) ?? []),
  ]
  for (const address of addresses) {
    const token = tokenInAddress(address)
    const ticketId = token ? await ticketOfReplyToken(em, token) : null
    if (ticketId) return ticketId
  }
  const references = [
    ...(parsed.inReplyTo ? parsed.inReplyTo.split(/\s+/) : []),
    ...(Array.isArray(parsed.references)
      ? parsed.references
      : parsed.references
        ? [parsed.references]
        : []),
  ].filter((reference) => reference.startsWith('<'))
  return (
    (await ticketOfOutboundMessageIds(em, references)) ??
    (await ticketOfInboundMessageIds(em, references))
  )
}

/**
 * Whether a new ticket is acknowledged: never for automatic mail (that is how loops start),
 * nor for a sender who wrote too often within the hour, nor against the person's wish.
 */
async function answers(
  em: EntityManager,
  user: UserEntity,
  address: string,
  kind: Classification,
): Promise<boolean> {
  if (kind.kind !== 'person') return false
  if ((await recentMailsFrom(em, address)) > MAILS_PER_HOUR_BEFORE_SILENCE) return false
  return (await preferencesOf(em, user.id)).ticketReceived
}

async function acknowledge(
  em: EntityManager,
  services: Services,
  user: UserEntity,
  ticketId: string,
  thread: Awaited<ReturnType<typeof ensureThread>>,
  channelAddress: string,
  invite: boolean,
): Promise<void> {
  const config = services.config
  const settings = await readMailSettings(em, config)
  const ticket = await em.findOneOrFail(Ticket, { id: ticketId })
  const replyTo = threadReplyAddress(thread, channelAddress)
  // Without a password the requests page is out of reach: the first mail invites, later
  // ones point at "forgot password" (an invitation per mail would flood the mailbox).
  const passwordless = !user.passwordHash && user.role === 'customer'
  const content = renderMail(
    {
      subject: `[#${ticket.number}] ${ticket.subject}`,
      blocks: [
        {
          kind: 'paragraph',
          text: `We received your request and filed it as #${ticket.number}. We will answer by mail; reply to this mail to add to it.`,
        },
        ...(passwordless && invite
          ? [
              {
                kind: 'paragraph' as const,
                text: 'To follow your requests online too, set a password for your account — a separate mail has the link.',
              },
            ]
          : passwordless
            ? [
                {
                  kind: 'action' as const,
                  label: 'Set a password to follow your requests online',
                  url: `${config.publicUrl}/forgot-password`,
                },
              ]
            : [
                {
                  kind: 'action' as const,
                  label: `Open #${ticket.number}`,
                  url: `${config.publicUrl}/requests/${ticketId}`,
                },
              ]),
      ],
    },
    { signature: settings.signature, replyMarker: true },
  )
  await queueMail(
    em,
    config,
    {
      kind: 'ticket_received',
      to: { address: user.email, userId: user.id },
      ticketId,
      ...(replyTo ? { replyTo } : {}),
      content,
      headers: {
        ...threadHeaders(thread),
        'Auto-Submitted': 'auto-replied',
        'X-Auto-Response-Suppress': 'All',
      },
    },
    settings,
  )
  if (passwordless && invite) await mailInvitation(em, config, user)
}

/** Someone who wrote in for the first time: a customer who signs in once they set a password. */
async function newCustomer(
  em: EntityManager,
  sender: { address: string; name: string },
): Promise<UserEntity> {
  const name = oneLine(sender.name, 200) || sender.address.split('@')[0] || sender.address
  return createUser(
    em,
    { email: sender.address, name, role: 'customer' },
    // The From line proves nothing: the address is verified when its owner sets a password.
    { verified: false },
  )
}

function actorOf(user: UserEntity): Actor {
  if (!isRole(user.role)) throw new Error(`unknown role ${user.role}`)
  return { userId: user.id, role: user.role, via: 'email', permissions: permissionsOf(user.role) }
}

/**
 * The mail's files, with the limits, sniffing, file names and sha256 of uploads. A file over
 * the size limit or a quota is left out (the full text keeps a note of it); the mail stays.
 */
async function attach(
  em: EntityManager,
  services: Services,
  user: UserEntity,
  ticketId: string,
  messageId: string,
  parsed: ParsedMail,
  stored: string[],
): Promise<void> {
  const skipped: string[] = []
  for (const attachment of parsed.attachments) {
    const filename = sanitizeFilename(attachment.filename ?? '')
    if (attachment.size > services.config.maxAttachmentBytes) {
      skipped.push(`${filename} (over the size limit)`)
      continue
    }
    const id = randomUUID()
    const key = `tickets/${ticketId}/${id}`
    const content = attachment.content
    const contentType = await sniffContentType(content.subarray(0, SNIFF_BYTES))
    const put = await services.storage.put(key, Readable.from([content]), {
      contentType,
      maxBytes: services.config.maxAttachmentBytes,
    })
    stored.push(key)
    try {
      await addAttachment(em, services.config, actorOf(user), ticketId, {
        id,
        key,
        messageId,
        file: { filename, contentType, size: put.size, sha256: put.sha256, fields: {} },
      })
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error
      await services.storage.delete(key)
      stored.pop()
      skipped.push(`${filename} (${error.message})`)
    }
  }
  if (skipped.length > 0) {
    await em.execute(`update messages set full_body = coalesce(full_body, '') || ? where id = ?`, [
      `\n\n[Attachments left out: ${skipped.join(', ')}]`,
      messageId,
    ])
  }
}

function senderOf(parsed: ParsedMail): { address: string; name: string } | null {
  const from = parsed.from?.value[0]
  if (!from?.address?.includes('@')) return null
  return { address: from.address.toLowerCase(), name: from.name ?? '' }
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = Array.isArray(field) ? field : field ? [field] : []
  return objects.flatMap((object) =>
    object.value.flatMap((entry) => (entry.address ? [entry.address] : [])),
  )
}

/** Raw header lines by lower-case name (values unfolded): what the classifier reads. */
function headersOf(parsed: ParsedMail): MailHeaders {
  const values = new Map<string, string>()
  for (const { key, line } of parsed.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim()
    if (!values.has(key)) values.set(key, value)
  }
  return { get: (name) => values.get(name), has: (name) => values.has(name) }
}

/** `<id@host>`; a mail without one is known by a digest of its bytes. */
function normalizedMessageId(messageId: string | undefined, raw: Buffer): string {
  const trimmed = messageId?.trim()
  if (trimmed && /^<[^<>\s]{1,900}>$/.test(trimmed)) return trimmed
  return `<sha256-${createHash('sha256').update(raw).digest('hex')}@helpdesk.invalid>`
}

function oneLine(text: string, max: number): string {
  return clean(text.replace(/\s+/g, ' '), max)
}

function clean(text: string, max: number): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROLS, '').trim().slice(0, max)
}
