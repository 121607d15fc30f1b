// Writes of the channels area: admins' channels (their passwords sealed with the application
// key), the channels configuration defines, and the bookkeeping of reading them — the lease
// that lets one replica read a channel at a time, and the last poll's outcome.
import { UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import type { ConfiguredChannel } from '../config.ts'
import type { FieldSealer } from '../encryption/sealed.ts'
import { HttpError } from '../errors.ts'
import type { ChannelChanges, NewChannel } from './inputs.ts'
import { type ChannelRow, findChannel } from './queries.ts'

/** A sealed password opens only on its own channel's row. */
export function channelPasswordContext(id: string): string {
  return `mail-channel:${id}`
}

function conflict(error: unknown): unknown {
  if (!(error instanceof UniqueConstraintViolationException)) return error
  return new HttpError('conflict', { detail: 'a channel with this name or address exists' })
}

async function assertTeam(em: EntityManager, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return
  const [team] = await em.execute('select id from teams where id = ?', [teamId])
  if (!team) {
    throw new HttpError('unprocessable', {
      detail: 'no such team',
      errors: [{ path: 'body.teamId', message: 'no such team' }],
    })
  }
}

export async function createChannel(
  em: EntityManager,
  sealer: FieldSealer,
  origin: AuditOrigin,
  input: NewChannel,
): Promise<ChannelRow> {
  return em.transactional(async (tx) => {
    await assertTeam(tx, input.teamId)
    let id: string
    try {
      const [row] = await tx.execute<{ id: string }[]>(
        `insert into mail_channels (name, address, team_id, host, port, security, username,
           mailbox, mode, poll_seconds, enabled)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
        [
          input.name,
          input.address,
          input.teamId ?? null,
          input.host,
          input.port,
          input.security,
          input.username,
          input.mailbox ?? 'INBOX',
          input.mode ?? 'idle',
          input.pollSeconds ?? 60,
          input.enabled ?? true,
        ],
      )
      id = (row as { id: string }).id
    } catch (error) {
      throw conflict(error)
    }
    await tx.execute('update mail_channels set password_sealed = ? where id = ?', [
      sealer.seal(input.password, channelPasswordContext(id)),
      id,
    ])
    await recordAudit(tx, origin, {
      action: 'mail_channel.created',
      targetType: 'mail_channel',
      targetId: id,
    })
    return findChannel(tx, id)
  })
}

const COLUMN_OF: Record<Exclude<keyof ChannelChanges, 'password'>, string> = {
  name: 'name',
  address: 'address',
  teamId: 'team_id',
  host: 'host',
  port: 'port',
  security: 'security',
  username: 'username',
  mailbox: 'mailbox',
  mode: 'mode',
  pollSeconds: 'poll_seconds',
  enabled: 'enabled',
}

/** Changes an admin's channel; a changed server or mailbox starts reading from the top. */
export async function updateChannel(
  em: EntityManager,
  sealer: FieldSealer,
  origin: AuditOrigin,
  id: string,
  changes: ChannelChanges,
): Promise<ChannelRow> {
  return em.transactional(async (tx) => {
    const channel = await findChannel(tx, id, { forUpdate: true })
    assertAdminChannel(channel)
    await assertTeam(tx, changes.teamId)
    const sets: string[] = []
    const values: unknown[] = []
    for (const [field, column] of Object.entries(COLUMN_OF) as [keyof typeof COLUMN_OF, string][]) {
      if (changes[field] === undefined) continue
      sets.push(`${column} = ?`)
      values.push(changes[field])
    }
    if (changes.password !== undefined) {
      sets.push('password_sealed = ?')
      values.push(sealer.seal(changes.password, channelPasswordContext(id)))
    }
    if (
      changes.host !== undefined ||
      changes.mailbox !== undefined ||
      changes.username !== undefined
    ) {
      // Another mailbox: its UIDs mean nothing here (Message-IDs still keep mails single).
      sets.push('uid_validity = null', 'last_uid = 0')
    }
    if (sets.length > 0) {
      try {
        await tx.execute(
          `update mail_channels set ${sets.join(', ')}, updated_at = now() where id = ?`,
          [...values, id],
        )
      } catch (error) {
        throw conflict(error)
      }
      await recordAudit(tx, origin, {
        action: 'mail_channel.updated',
        targetType: 'mail_channel',
        targetId: id,
        details: { fields: Object.keys(changes) },
      })
    }
    return findChannel(tx, id)
  })
}

export async function deleteChannel(
  em: EntityManager,
  origin: AuditOrigin,
  id: string,
): Promise<void> {
  await em.transactional(async (tx) => {
    const channel = await findChannel(tx, id, { forUpdate: true })
    assertAdminChannel(channel)
    await tx.execute('delete from mail_channels where id = ?', [id])
    await recordAudit(tx, origin, {
      action: 'mail_channel.deleted',
      targetType: 'mail_channel',
      targetId: id,
    })
  })
}

function assertAdminChannel(channel: ChannelRow): void {
  if (channel.source === 'configuration') {
    throw new HttpError('conflict', {
      detail: 'this channel is defined by configuration (HELPDESK_MAIL_CHANNELS): change it there',
    })
  }
}

/**
 * Makes the channels configuration defines exist (by name), as configured; those no longer
 * configured stop being read. Safe when several replicas start at once (an advisory lock).
 */
export async function syncConfiguredChannels(
  em: EntityManager,
  channels: readonly ConfiguredChannel[],
): Promise<string[]> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('helpdesk.mail_channels'))`)
    const problems: string[] = []
    for (const channel of channels) {
      const [team] = channel.team
        ? await tx.execute<{ id: string }[]>('select id from teams where name = ?', [channel.team])
        : []
      if (channel.team && !team) problems.push(`${channel.name}: no team named ${channel.team}`)
      await tx.execute(
        `insert into mail_channels (name, address, team_id, host, port, security, username,
           mailbox, mode, poll_seconds, enabled, source)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, 'configuration')
         on conflict (name) do update set address = excluded.address, team_id = excluded.team_id,
           host = excluded.host, port = excluded.port, security = excluded.security,
           username = excluded.username, mailbox = excluded.mailbox, mode = excluded.mode,
           poll_seconds = excluded.poll_seconds, enabled = true, source = 'configuration',
           password_sealed = null, updated_at = now()`,
        [
          channel.name,
          channel.address,
          team?.id ?? null,
          channel.host,
          channel.port,
          channel.security,
          channel.user,
          channel.mailbox,
          channel.mode,
          channel.pollSeconds,
        ],
      )
    }
    const names = channels.map((channel) => channel.name)
    await tx.execute(
      `update mail_channels set enabled = false
       where source = 'configuration' ${names.length > 0 ? 'and name not in (?)' : ''}`,
      names.length > 0 ? [names] : [],
    )
    return problems
  })
}

/**
 * Takes or renews a channel's lease for `owner`: true while this replica is the one to read
 * it. A lease runs out when its replica stops renewing it (a crash), and another takes over.
 */
export async function holdLease(
  em: EntityManager,
  id: string,
  owner: string,
  seconds: number,
): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(
    `update mail_channels set lease_owner = ?, lease_until = now() + make_interval(secs => ?)
     where id = ? and enabled
       and (lease_owner is null or lease_owner = ? or lease_until < now())
     returning id`,
    [owner, seconds, id, owner],
  )
  return rows.length > 0
}

export async function releaseLease(em: EntityManager, id: string, owner: string): Promise<void> {
  await em.execute(
    'update mail_channels set lease_owner = null, lease_until = null where id = ? and lease_owner = ?',
    [id, owner],
  )
}

export async function recordPoll(
  em: EntityManager,
  id: string,
  outcome: { ok: true } | { ok: false; error: string },
): Promise<void> {
  if (outcome.ok) {
    await em.execute(
      `update mail_channels set last_poll_at = now(), last_status = 'ok' where id = ?`,
      [id],
    )
    return
  }
  await em.execute(
    `update mail_channels set last_poll_at = now(), last_status = 'error', last_error = ?,
       last_error_at = now() where id = ?`,
    [outcome.error.slice(0, 1000), id],
  )
}
