// Shapes of the Helpdesk API (../shared/spec/api.md); the ones marked "beyond spec" are
// listed in web/README.md for the API to implement.

export type Role = 'customer' | 'agent' | 'admin'

export interface User {
  id: string
  email: string
  name: string
  role: Role
  mfaEnabled: boolean
  /** Beyond spec: an admin made two-factor sign-in mandatory for this user. */
  mfaRequired: boolean
  createdAt: string
}

export interface Person {
  id: string
  name: string
}

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]

export interface Ticket {
  id: string
  number: number
  subject: string
  status: TicketStatus
  priority: TicketPriority
  requester: Person
  assignee: Person | null
  team: Person | null
  tags: string[]
  createdAt: string
  updatedAt: string
  firstResponseDueAt: string | null
  resolutionDueAt: string | null
  slaBreached: boolean
}

export interface Attachment {
  id: string
  filename: string
  size: number
  contentType: string
  sha256?: string
  /** Who uploaded it: they, and staff, may delete it. */
  uploaderId: string
}

export interface Message {
  id: string
  author: Person
  body: string
  internal: boolean
  createdAt: string
  attachments: Attachment[]
}

/** A change to a ticket. Beyond spec: the field names below. */
export interface TicketEvent {
  id: string
  at: string
  actor: Person | null
  action: string
  changes?: Record<string, { from: unknown; to: unknown }>
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export interface Team {
  id: string
  name: string
  /** Beyond spec: the members, so the admin page can show and edit them. */
  members: Person[]
}

export interface AuditEvent {
  id: string
  at: string
  actor: Person | null
  action: string
  targetType: string | null
  targetId: string | null
  ip: string | null
  userAgent: string | null
  details: unknown
}

export interface ApiToken {
  id: string
  name: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
}

export interface HealthCheck {
  status: 'up' | 'down'
  latencyMs?: number
  /** Why a check is down. */
  detail?: string
  /** Facts a check adds, such as the schema version, the Redis mode or the storage location. */
  [fact: string]: unknown
}

export interface Health {
  status: 'ok' | 'degraded' | 'down'
  checks: Record<string, HealthCheck>
  version: string
}

/** Beyond spec: admin settings. */
export interface Settings {
  selfSignupEnabled: boolean
}

/** Beyond spec: what the sign-in page and composers need to know before signing in. */
export interface PublicSettings {
  selfSignupEnabled: boolean
  maxAttachmentBytes: number
}

/** Beyond spec: SLA targets per priority, in minutes. */
export interface SlaPolicy {
  priority: TicketPriority
  firstResponseMinutes: number
  resolutionMinutes: number
}
