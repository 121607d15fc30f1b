// Reads the mail channels. Every API process runs a poller; for each enabled channel one of
// them holds a lease (renewed every few seconds in the database) and keeps an IMAP connection
// to it: it reads what arrived since the channel's last UID, then waits — IMAP IDLE, or a
// poll interval — and reads again. A replica that dies stops renewing; another takes over
// within the lease's length. Mails count once however many replicas there are (receive.ts).

import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ImapFlow } from 'imapflow'
import { isDependencyFailure } from '../http/dependency-errors.ts'
import type { Logger } from '../observability/logger.ts'
import type { Services } from '../platform/services.ts'
import {
  channelPasswordContext,
  holdLease,
  recordPoll,
  releaseLease,
  syncConfiguredChannels,
} from './commands.ts'
import { type ChannelRow, findChannel, listChannels } from './queries.ts'

const LEASE_SECONDS = 30
const RENEW_MS = 10_000
/** A connection that IDLEs still checks this often, in case the server missed telling. */
const IDLE_RECHECK_MS = 5 * 60_000
const MAX_BACKOFF_MS = 5 * 60_000
/** Mails larger than this are left in the mailbox and reported. */
const MAX_MAIL_BYTES = 64 * 1024 * 1024

const pollers = new WeakMap<Services, ChannelPoller>()

/**
 * The IMAP client and the mail parser, loaded when a channel is first read: a process with no
 * mail channel never holds them (≈11 MB resident with the HTML sanitizer).
 */
async function mailReading() {
  const [{ ImapFlow }, { receiveMail }] = await Promise.all([
    import('imapflow'),
    import('./receive.ts'),
  ])
  return { ImapFlow, receiveMail }
}

/** Starts this process's poller; the result stops it (releasing its leases). */
export function startChannelPoller(services: Services): () => Promise<void> {
  const poller = new ChannelPoller(services)
  pollers.set(services, poller)
  poller.start()
  return () => poller.stop()
}

/** Looks at the channels now (after an admin changed one) instead of at the next renewal. */
export function refreshChannels(services: Services): void {
  pollers.get(services)?.refresh()
}

class ChannelPoller {
  readonly #services: Services
  readonly #logger: Logger
  readonly #owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  readonly #stopping = new AbortController()
  readonly #readers = new Map<string, ChannelReader>()
  #wake: (() => void) | undefined
  #loop: Promise<void> | undefined

  constructor(services: Services) {
    this.#services = services
    this.#logger = services.logger.child({ component: 'mail-channels' })
  }

  start(): void {
    this.#loop ??= this.#run()
  }

  refresh(): void {
    this.#wake?.()
  }

  async stop(): Promise<void> {
    this.#stopping.abort()
    this.#wake?.()
    await this.#loop
  }

  async #run(): Promise<void> {
    const signal = this.#stopping.signal
    let synced = false
    while (!signal.aborted) {
      try {
        if (!synced) {
          const problems = await syncConfiguredChannels(
            this.#services.orm.em.fork(),
            this.#services.config.mailChannels,
          )
          for (const problem of problems)
            this.#logger.warn({ problem }, 'mail channel configuration')
          synced = true
        }
        await this.#balance()
      } catch (error) {
        // An unreachable database is said once, by the job worker; anything else is a bug.
        if (!isDependencyFailure(error)) {
          this.#logger.warn({ err: error }, 'mail channels failed; retrying')
        }
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve
        sleep(RENEW_MS, undefined, { signal }).then(resolve, resolve)
      })
    }
    await Promise.all([...this.#readers.values()].map((reader) => reader.stop()))
    const em = this.#services.orm.em.fork()
    for (const id of this.#readers.keys()) {
      await releaseLease(em, id, this.#owner).catch(() => {})
    }
  }

  /** Renews the leases it holds, takes free ones, stops readers whose lease is gone. */
  async #balance(): Promise<void> {
    const em = this.#services.orm.em.fork()
    const channels = await listChannels(em)
    const enabled = new Set(channels.filter((channel) => channel.enabled).map((c) => c.id))
    for (const [id, reader] of this.#readers) {
      if (!enabled.has(id) || !(await holdLease(em, id, this.#owner, LEASE_SECONDS))) {
        this.#readers.delete(id)
        await reader.stop()
        await releaseLease(em, id, this.#owner)
      }
    }
    for (const channel of channels) {
      if (!channel.enabled || this.#readers.has(channel.id)) continue
      if (!(await holdLease(em, channel.id, this.#owner, LEASE_SECONDS))) continue
      const reader = new ChannelReader(this.#services, channel.id, this.#logger)
      this.#readers.set(channel.id, reader)
      reader.start()
    }
    // A reader whose settings changed starts over with them.
    for (const channel of channels) {
      this.#readers.get(channel.id)?.restartIfChanged(channel)
    }
  }
}

/** One channel's IMAP connection: read what is new, wait, repeat; errors back off. */
class ChannelReader {
  readonly #services: Services
  readonly #id: string
  readonly #logger: Logger
  #stopping = new AbortController()
  #running: Promise<void> | undefined
  #settings: string | undefined
  #client: ImapFlow | undefined

  constructor(services: Services, id: string, logger: Logger) {
    this.#services = services
    this.#id = id
    this.#logger = logger.child({ channelId: id })
  }

  start(): void {
    this.#stopping = new AbortController()
    this.#running = this.#run(this.#stopping.signal)
  }

  async stop(): Promise<void> {
    this.#stopping.abort()
    this.#client?.close()
    await this.#running
  }

  restartIfChanged(channel: ChannelRow): void {
    const settings = connectionSettings(channel)
    if (this.#settings === undefined || this.#settings === settings) return
    this.#logger.info('mail channel changed: reconnecting')
    void this.stop().then(() => this.start())
  }

  async #run(signal: AbortSignal): Promise<void> {
    let failures = 0
    while (!signal.aborted) {
      const em = this.#services.orm.em.fork()
      try {
        const channel = await findChannel(em, this.#id)
        this.#settings = connectionSettings(channel)
        await this.#session(channel, signal)
        failures = 0
      } catch (error) {
        if (signal.aborted) break
        failures++
        const message = describe(error)
        this.#logger.warn({ err: error }, 'mail channel failed')
        await recordPoll(em, this.#id, { ok: false, error: message }).catch(() => {})
        const pause = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 9))
        await sleep(pause, undefined, { signal }).catch(() => {})
      } finally {
        this.#client?.close()
        this.#client = undefined
      }
    }
  }

  /** Connects, then reads and waits until the connection breaks or the reader stops. */
  async #session(channel: ChannelRow, signal: AbortSignal): Promise<void> {
    const { ImapFlow } = await mailReading()
    const client = new ImapFlow({
      host: channel.host,
      port: channel.port,
      secure: channel.security === 'tls',
      doSTARTTLS:
        channel.security === 'starttls' ? true : channel.security === 'none' ? false : undefined,
      auth: { user: channel.username, pass: this.#password(channel) },
      tls: { minVersion: 'TLSv1.2' },
      logger: false,
      disableAutoIdle: channel.mode === 'poll',
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 10 * 60_000,
    })
    this.#client = client
    const closed = new Promise<never>((_, reject) => {
      client.on('close', () => reject(new Error('the IMAP connection closed')))
      client.on('error', (error: Error) => reject(error))
    })
    closed.catch(() => {})
    await client.connect()
    const mailbox = await client.mailboxOpen(channel.mailbox)
    const em = this.#services.orm.em.fork()
    await this.#checkUidValidity(String(mailbox.uidValidity))
    while (!signal.aborted) {
      await this.#readNew(client)
      await recordPoll(em, this.#id, { ok: true })
      const news = new Promise<void>((resolve) => client.once('exists', () => resolve()))
      const idling = channel.mode === 'idle' && client.capabilities.has('IDLE')
      // IDLE now rather than after imapflow's quiet delay (15 s): new mail is told at once.
      // The next command (the fetch that reads it) ends the IDLE; a failure closes the client.
      if (idling) client.idle().catch(() => {})
      const wait = idling ? IDLE_RECHECK_MS : channel.poll_seconds * 1000
      await Promise.race([news, closed, sleep(wait, undefined, { signal }).catch(() => {})])
      if (channel.mode === 'poll' && !signal.aborted) await client.noop()
    }
  }

  /** A mailbox whose UIDVALIDITY changed renumbered its mails: read it from the top. */
  async #checkUidValidity(uidValidity: string): Promise<void> {
    await this.#services.orm.em.fork().execute(
      `update mail_channels set last_uid = case when uid_validity = ? then last_uid else 0 end,
           uid_validity = ? where id = ?`,
      [uidValidity, uidValidity, this.#id],
    )
  }

  async #readNew(client: ImapFlow): Promise<void> {
    const em = this.#services.orm.em.fork()
    const channel = await findChannel(em, this.#id)
    const after = Number(channel.last_uid)
    const found: { uid: number; size: number }[] = []
    for await (const message of client.fetch(
      `${after + 1}:*`,
      { uid: true, size: true },
      { uid: true },
    )) {
      // "N:*" names the last mail even when its UID is below N.
      if (message.uid > after) found.push({ uid: message.uid, size: message.size ?? 0 })
    }
    for (const { uid, size } of found.sort((a, b) => a.uid - b.uid)) {
      if (size > MAX_MAIL_BYTES) {
        await skipOversized(em, this.#id, uid, size)
        continue
      }
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true })
      if (message === false || !message.source) continue
      const { receiveMail } = await mailReading()
      const outcome = await receiveMail(this.#services, channel, message.source, uid)
      this.#logger.info({ uid, ...outcome }, 'mail read')
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true }).catch(() => {})
    }
  }

  #password(channel: ChannelRow): string {
    if (channel.source === 'configuration') {
      const configured = this.#services.config.mailChannels.find((c) => c.name === channel.name)
      if (!configured) throw new Error('this channel is no longer configured')
      return configured.password
    }
    if (!channel.password_sealed) throw new Error('the channel has no password')
    return this.#services.sealer.open(channel.password_sealed, channelPasswordContext(channel.id))
  }
}

/** A mail too large to read: left in the mailbox, the channel moves past it and says so. */
async function skipOversized(
  em: ReturnType<Services['orm']['em']['fork']>,
  channelId: string,
  uid: number,
  size: number,
): Promise<void> {
  await em.execute('update mail_channels set last_uid = greatest(last_uid, ?) where id = ?', [
    uid,
    channelId,
  ])
  await recordPoll(em, channelId, {
    ok: false,
    error: `mail UID ${uid} (${size} bytes) is larger than ${MAX_MAIL_BYTES} bytes: left in the mailbox`,
  })
}

function connectionSettings(channel: ChannelRow): string {
  return JSON.stringify([
    channel.host,
    channel.port,
    channel.security,
    channel.username,
    channel.password_sealed,
    channel.mailbox,
    channel.mode,
    channel.poll_seconds,
  ])
}

/** What an admin reads about a failure: the server's words, never the password. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const details = error as Error & { responseText?: string; code?: string }
  return [details.code, details.responseText ?? error.message].filter(Boolean).join(': ')
}
