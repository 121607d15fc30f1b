import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import { freePort, logFile, randomSecret, serviceDir } from './session.ts'
import { toolPath } from './tools.ts'

export interface MailpitOptions {
  /**
   * `starttls`: the server offers and requires STARTTLS; `implicit`: TLS from the first byte
   * (submissions on 465). A self-signed certificate for 127.0.0.1 and localhost is made.
   * @default none (plain SMTP)
   */
  tls?: 'starttls' | 'implicit'
  /** Require SMTP AUTH with a generated user and password. @default false */
  auth?: boolean
}

/** Connection facts of an SMTP server that tests can read back (JSON-safe). */
export interface MailpitInfo {
  host: string
  smtpPort: number
  /** Mailpit's HTTP API, e.g. `${apiUrl}/api/v1/messages`. */
  apiUrl: string
  tls?: 'starttls' | 'implicit'
  /** PEM file of the server's self-signed certificate, to trust it. */
  caFile?: string
  auth?: { user: string; password: string }
}

/** A message as Mailpit's list and search answers describe it. */
export interface MailSummary {
  ID: string
  MessageID: string
  From: { Name: string; Address: string }
  To: { Name: string; Address: string }[]
  Subject: string
  Created: string
}

/** One message, parsed by Mailpit. */
export interface MailMessage extends MailSummary {
  Text: string
  HTML: string
  ReplyTo: { Name: string; Address: string }[]
  Attachments: { FileName: string; ContentType: string; Size: number }[]
}

export interface MailpitServer extends MailpitInfo, ManagedService {
  /** Messages matching a Mailpit search (`to:someone@example.test`, `subject:"..."`), newest first. */
  search(query: string): Promise<MailSummary[]>
  message(id: string): Promise<MailMessage>
  /** Every header of a message, by name (values in order). */
  headers(id: string): Promise<Record<string, string[]>>
  /** The message as it arrived, bytes as text. */
  raw(id: string): Promise<string>
  /**
   * Waits until a search finds at least `count` messages and returns them (oldest first).
   * Fails after `timeoutMs` with what was found.
   */
  waitFor(query: string, count?: number, timeoutMs?: number): Promise<MailSummary[]>
}

/**
 * A private Mailpit (built from the Go module proxy by `make tools`) on 127.0.0.1: an SMTP
 * server that keeps what it receives in a database in its directory (kept across `down()` /
 * `up()`) and answers for it over HTTP.
 */
export async function startMailpit(options: MailpitOptions = {}): Promise<MailpitServer> {
  const dir = serviceDir('mailpit')
  const smtpPort = await freePort()
  const httpPort = await freePort()
  const info: MailpitInfo = {
    host: '127.0.0.1',
    smtpPort,
    apiUrl: `http://127.0.0.1:${httpPort}`,
  }
  const args = [
    '--listen',
    `127.0.0.1:${httpPort}`,
    '--smtp',
    `127.0.0.1:${smtpPort}`,
    '--database',
    path.join(dir, 'mailpit.db'),
    '--disable-version-check',
    '--smtp-disable-rdns',
    '--max',
    '0',
  ]
  if (options.tls) {
    const { cert, key } = selfSignedCertificate(dir)
    info.tls = options.tls
    info.caFile = cert
    args.push('--smtp-tls-cert', cert, '--smtp-tls-key', key)
    args.push(options.tls === 'implicit' ? '--smtp-require-tls' : '--smtp-require-starttls')
  }
  if (options.auth) {
    info.auth = { user: 'helpdesk', password: randomSecret() }
    const file = path.join(dir, 'smtp-users')
    writeFileSync(file, `${info.auth.user}:${info.auth.password}\n`)
    args.push('--smtp-auth-file', file)
    if (!options.tls) args.push('--smtp-auth-allow-insecure')
  } else {
    args.push('--smtp-auth-accept-any')
    if (!options.tls) args.push('--smtp-auth-allow-insecure')
  }
  const service = await manage('mailpit', dir, async () => {
    const child = supervise({
      name: 'mailpit',
      command: toolPath('mailpit'),
      args,
      log: logFile('mailpit'),
    })
    await waitUntilReady(child, async () => (await fetch(`${info.apiUrl}/readyz`)).ok)
    return child
  })
  const api = async <T>(urlPath: string): Promise<T> => {
    const response = await fetch(`${info.apiUrl}${urlPath}`)
    if (!response.ok) throw new Error(`mailpit ${urlPath}: ${response.status}`)
    return (await response.json()) as T
  }
  const search = async (query: string) =>
    (
      await api<{ messages: MailSummary[] }>(
        `/api/v1/search?limit=1000&query=${encodeURIComponent(query)}`,
      )
    ).messages
  return {
    ...info,
    ...service,
    search,
    message: (id) => api<MailMessage>(`/api/v1/message/${id}`),
    headers: (id) => api<Record<string, string[]>>(`/api/v1/message/${id}/headers`),
    async raw(id) {
      const response = await fetch(`${info.apiUrl}/api/v1/message/${id}/raw`)
      return response.text()
    },
    async waitFor(query, count = 1, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      let found: MailSummary[] = []
      while (Date.now() < deadline) {
        found = await search(query)
        if (found.length >= count) return found.reverse()
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(
        `mailpit: ${found.length} of ${count} messages for ${query} after ${timeoutMs} ms: ${found.map((m) => m.Subject).join(' | ')}`,
      )
    },
  }
}

/** A self-signed certificate for 127.0.0.1 and localhost (openssl from Debian). */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'smtp.crt')
  const key = path.join(dir, 'smtp.key')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  )
  return { cert, key }
}
