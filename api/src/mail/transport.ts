// Submission to the configured SMTP server through nodemailer: STARTTLS (required, never
// skipped when the server does not offer it) or implicit TLS, TLS 1.2 at least, a pool of
// connections per API process, and timeouts short enough that a hung server costs a retry,
// not a stuck worker.
import type { TransportConfig, Transporter } from 'nodemailer'
import type { SmtpConfig } from '../config.ts'
import type { Services } from '../platform/services.ts'
import type { OutboundMailRow } from './queries.ts'

export interface MailTransport {
  /** `extraHeaders` go beside the row's own (the loop header). */
  send(mail: OutboundMailRow, extraHeaders?: Record<string, string>): Promise<void>
  close(): void
}

const transports = new WeakMap<Services, MailTransport>()

/** This process's transport to the configured server; null when none is configured. */
export function transportFor(services: Services): MailTransport | null {
  const smtp = services.config.smtp
  if (!smtp) return null
  let transport = transports.get(services)
  if (!transport) {
    transport = smtpTransport(smtp)
    transports.set(services, transport)
  }
  return transport
}

export function closeTransport(services: Services): void {
  transports.get(services)?.close()
  transports.delete(services)
}

export function smtpTransport(smtp: SmtpConfig): MailTransport {
  // nodemailer loads with the first transport: a process that sends no mail never holds it.
  const transporter: Promise<Transporter> = import('nodemailer').then(({ default: nodemailer }) =>
    nodemailer.createTransport(transportOptions(smtp)),
  )
  return {
    async send(mail, extraHeaders = {}) {
      await (await transporter).sendMail({
        messageId: mail.message_id,
        from: { name: mail.from_name, address: mail.from_address },
        to: mail.recipient,
        ...(mail.reply_to ? { replyTo: mail.reply_to } : {}),
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
        headers: { ...mail.headers, ...extraHeaders },
        date: mail.created_at,
      })
    },
    close: () => void transporter.then((opened) => opened.close()),
  }
}

function transportOptions(smtp: SmtpConfig): TransportConfig & { pool: true } {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.password } } : {}),
    tls: { minVersion: 'TLSv1.2', servername: smtp.host, ...(smtp.ca ? { ca: smtp.ca } : {}) },
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  }
}
