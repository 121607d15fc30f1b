// The message catalogue: every message says something, plurals take the UI language's forms,
// and a message called with values leaves no placeholder unfilled.
import { describe, expect, it } from '@jest/globals'
import { isValidElement, type ReactNode } from 'react'
import { plural } from '../../src/i18n/locale.ts'
import { messages } from '../../src/i18n/messages.ts'

/** Values for the placeholders the catalogue uses; a placeholder missing here fails the test. */
const SAMPLES: Record<string, unknown> = {
  title: 'Printer on fire',
  reason: 'The server is busy.',
  link: 'Set it up now',
  email: 'ada@example.com',
  minutes: 2,
  number: 42,
  subject: 'Printer on fire',
  name: 'Ada',
  label: 'My requests',
  date: 'Mar 1, 2026, 12:00 PM',
  target: 'First response',
  when: 'in 2 hours',
  field: 'status',
  value: 'Open',
  was: 'New',
  from: 'New',
  to: 'Open',
  items: ['Ada', 'Bob', 'Cy'],
  filename: 'screenshot.png',
  size: '2.0 MB',
  max: '25 MB',
  count: 2,
  status: 'solved',
  query: 'ref',
  excerpt: 'It works again.',
  who: 'Ada and Bob',
  keys: '::',
  tag: 'billing',
  team: 'Billing',
  statuses: 'pending or on hold',
  tickets: 'Open tickets',
  property: 'status',
  id: 't1',
  ticket: '#42 Printer on fire',
  shortcut: 'thanks',
  example: 'customer.name',
  ms: 3,
  took: '3 ms',
  version: 'Migration20261210090200_mail_channels',
  names: 'Migration20261210090200_mail_channels',
  directory: '/data/attachments',
  bucket: 'helpdesk-attachments',
  priority: 'Urgent',
  server: 'smtp.example.com:587',
  security: 'STARTTLS',
  address: 'support@example.com',
  queued: 1,
  sent: 5,
  failed: 0,
  held: 0,
  time: 'Mar 1, 2026, 12:00 PM',
  port: 993,
  role: 'agent',
  mfa: true,
  problem: 'invalid email address',
  action: 'archived',
  area: 'ticket',
}

const sampleValues = new Proxy(SAMPLES, {
  get(samples, name) {
    if (typeof name === 'string' && !(name in samples)) {
      throw new Error(`no sample value for the placeholder ${name}`)
    }
    return samples[name as string]
  },
})

/** The text a message renders to: rich sentences are fragments of text and elements. */
function text(node: ReactNode): string {
  if (node === null || node === undefined || typeof node === 'boolean') return String(node)
  if (typeof node === 'string' || typeof node === 'number') return String(node)
  if (Array.isArray(node)) return node.map(text).join('')
  if (isValidElement<{ children?: ReactNode }>(node)) return text(node.props.children)
  return String(node)
}

/** Every message as [its path, the text it renders with the sample values]. */
function rendered(group: object, prefix: string): [string, string][] {
  return Object.entries(group).flatMap(([key, value]): [string, string][] => {
    const path = `${prefix}.${key}`
    if (typeof value === 'string') return [[path, value]]
    if (typeof value === 'function') return [[path, text(value(sampleValues))]]
    return rendered(value as object, path)
  })
}

const all = rendered(messages, 'messages')

describe('the message catalogue', () => {
  it('has no empty message', () => {
    for (const [path, message] of all)
      expect([path, message.trim().length > 0]).toEqual([path, true])
  })

  it('fills every placeholder', () => {
    for (const [path, message] of all) {
      expect([path, /[{}]|undefined|null|NaN|\[object/.test(message)]).toEqual([path, false])
    }
  })

  it('chooses the plural form by the count', () => {
    const forms = { one: '# ticket', other: '# tickets' }
    expect([0, 1, 2].map((count) => plural(count, forms))).toEqual([
      '0 tickets',
      '1 ticket',
      '2 tickets',
    ])
  })

  it('words counts in messages by their plural form', () => {
    expect([0, 1, 2].map((count) => messages.bulk.selected({ count }))).toEqual([
      '0 tickets selected',
      '1 ticket selected',
      '2 tickets selected',
    ])
    expect([1, 2].map((count) => messages.collision.arrived({ count }))).toEqual([
      'A new message arrived while you were writing.',
      '2 new messages arrived while you were writing.',
    ])
    expect([
      messages.presence.replying({ who: 'Ada', count: 1 }),
      messages.presence.replying({ who: 'Ada and Bob', count: 2 }),
    ]).toEqual(['Ada is replying', 'Ada and Bob are replying'])
  })
})
