// Addresses and identifiers of outgoing mail: Message-IDs, and the reply address that names a
// ticket by an unguessable token (`support+<token>@example.com`), so a customer's answer finds
// its ticket even when their mail program drops every threading header.
import { randomBytes, randomUUID } from 'node:crypto'

/** Our header on every mail we send (the installation's id): seeing it come back is a loop. */
export const LOOP_HEADER = 'X-Helpdesk-Loop'

/** 120 random bits in lower-case base32: survives mail systems that fold the case of addresses. */
const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const TOKEN_LENGTH = 24
const TOKEN_IN_ADDRESS = new RegExp(`^[^@+]+\\+([${TOKEN_ALPHABET}]{${TOKEN_LENGTH}})@`, 'i')

export function newReplyToken(): string {
  const bytes = randomBytes(TOKEN_LENGTH)
  return [...bytes].map((byte) => TOKEN_ALPHABET[byte % 32]).join('')
}

/** `support@example.com` + token → `support+token@example.com`. */
export function replyAddress(channelAddress: string, token: string): string {
  const at = channelAddress.lastIndexOf('@')
  const local = channelAddress.slice(0, at).split('+')[0]
  return `${local}+${token}${channelAddress.slice(at)}`
}

/** The ticket token in an address such as `support+token@example.com`, lower-cased. */
export function tokenInAddress(address: string): string | null {
  return TOKEN_IN_ADDRESS.exec(address.trim())?.[1]?.toLowerCase() ?? null
}

/** The address without its `+token` part: the channel mailbox it was sent to. */
export function baseAddress(address: string): string {
  const at = address.lastIndexOf('@')
  if (at < 0) return address.toLowerCase()
  return `${address.slice(0, at).split('+')[0]}${address.slice(at)}`.toLowerCase()
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase()
}

/** A Message-ID of ours: random, so a resent copy of one outbox row carries the same one. */
export function newMessageId(domain: string): string {
  return `<${randomUUID()}@${domain}>`
}

/** The Message-ID that roots the thread of a ticket filed on the web. */
export function ticketRootMessageId(ticketId: string, domain: string): string {
  return `<ticket-${ticketId}@${domain}>`
}

/** The default sender: helpdesk@ the public URL's host (`.localhost` for a laptop). */
export function defaultSenderAddress(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.toLowerCase()
  const domain = host.includes('.') && !/^[\d.]+$/.test(host) ? host : 'helpdesk.localhost'
  return `helpdesk@${domain}`
}
