// Readable names for the API's shapes. Every one is taken from schema.ts, which is generated
// from the API's OpenAPI document (docs/openapi.json): when the API changes a shape, this app
// stops compiling where it relied on the old one. Nothing here is written by hand but the
// names and the order lists are shown in.
import type { paths } from './schema.ts'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** The JSON an endpoint answers with `status`. */
type Answer<
  Path extends keyof paths,
  M extends Method = 'get',
  Status extends number = 200,
> = paths[Path][M] extends { responses: infer R }
  ? Status extends keyof R
    ? R[Status] extends { content: { 'application/json': infer Body } }
      ? Body
      : never
    : never
  : never

/** The JSON body an endpoint takes. */
type Body<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

/** The query parameters an endpoint takes. */
type QueryOf<Path extends keyof paths> = paths[Path]['get'] extends {
  parameters: { query?: infer Q }
}
  ? NonNullable<Q>
  : never

type ItemOf<List> = List extends { items: (infer Item)[] } ? Item : never

export type User = Answer<'/api/v1/users/{id}'>
export type Role = User['role']
export type Ticket = Answer<'/api/v1/tickets/{id}'>
export type Person = Ticket['requester']
export type TicketStatus = Ticket['status']
export type TicketPriority = Ticket['priority']
export type Message = ItemOf<Answer<'/api/v1/tickets/{id}/messages'>>
export type Attachment = Answer<'/api/v1/tickets/{id}/attachments', 'post', 201>
export type TicketEvent = ItemOf<Answer<'/api/v1/tickets/{id}/events'>>
export type Team = ItemOf<Answer<'/api/v1/teams'>>
export type AuditEvent = ItemOf<Answer<'/api/v1/audit-events'>>
export type ApiToken = ItemOf<Answer<'/api/v1/auth/tokens'>>
export type CreatedApiToken = Answer<'/api/v1/auth/tokens', 'post', 201>
export type SlaPolicy = ItemOf<Answer<'/api/v1/sla-policies'>>
export type Settings = Answer<'/api/v1/settings'>
export type SettingsChanges = Body<'/api/v1/settings', 'put'>
export type PublicSettings = Answer<'/api/v1/settings/public'>
export type Health = Answer<'/api/v1/system/health'>
export type SignedIn = Answer<'/api/v1/auth/login', 'post'>
export type CurrentSession = Answer<'/api/v1/auth/session'>
export type Credentials = Body<'/api/v1/auth/login', 'post'>
export type Registration = Body<'/api/v1/auth/register', 'post'>
export type TotpSetup = Answer<'/api/v1/auth/mfa/totp/setup', 'post'>
export type RecoveryCodes = Answer<'/api/v1/auth/mfa/totp/enable', 'post'>
export type NewToken = Body<'/api/v1/auth/tokens', 'post'>
export type NewTicket = Body<'/api/v1/tickets', 'post'>
export type TicketChanges = Body<'/api/v1/tickets/{id}', 'patch'>
export type BulkTicketChanges = Body<'/api/v1/tickets/bulk', 'post'>
export type BulkChange = BulkTicketChanges['change']
export type BulkResult = Answer<'/api/v1/tickets/bulk', 'post'>
export type TicketFilters = Omit<QueryOf<'/api/v1/tickets'>, 'limit' | 'cursor'>
export type TicketSort = NonNullable<TicketFilters['sort']>
export type TicketCount = Answer<'/api/v1/tickets/count'>
export type NewMessage = Body<'/api/v1/tickets/{id}/messages', 'post'>
export type TicketPresence = Answer<'/api/v1/tickets/{id}/presence', 'put'>
export type PresentPerson = TicketPresence['others'][number]
export type PresenceState = Body<'/api/v1/tickets/{id}/presence', 'put'>['state']
export type NewUser = Body<'/api/v1/users', 'post'>
export type UserChanges = Body<'/api/v1/users/{id}', 'patch'>
export type UserFilters = Pick<QueryOf<'/api/v1/users'>, 'role' | 'q'>
export type AuditFilters = Omit<QueryOf<'/api/v1/audit-events'>, 'limit' | 'cursor'>
export type NotificationPreferences = Answer<'/api/v1/account/notifications'>
export type MailSettings = Answer<'/api/v1/mail/settings'>
export type MailSettingsChanges = Body<'/api/v1/mail/settings', 'put'>
export type OutboxItem = ItemOf<Answer<'/api/v1/mail/outbox'>>
export type OutboxStatus = OutboxItem['status']
export type OutboundMail = Answer<'/api/v1/mail/outbox/{id}'>
export type MailChannel = ItemOf<Answer<'/api/v1/mail/channels'>>
export type MailSecurity = MailChannel['security']
export type NewMailChannel = Body<'/api/v1/mail/channels', 'post'>
export type CannedResponse = ItemOf<Answer<'/api/v1/canned-responses'>>
export type NewCannedResponse = Body<'/api/v1/canned-responses', 'post'>
export type CannedResponseChanges = Body<'/api/v1/canned-responses/{id}', 'patch'>
export type Placeholder = ItemOf<Answer<'/api/v1/canned-responses/placeholders'>>
export type SavedView = ItemOf<Answer<'/api/v1/saved-views'>>
export type NewSavedView = Body<'/api/v1/saved-views', 'post'>
export type SavedViewChanges = Body<'/api/v1/saved-views/{id}', 'patch'>

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * Every member of the union `T`, in the order the app shows them: a missing member or one the
 * API does not have fails to compile.
 */
const everyOne =
  <T extends string>() =>
  <const List extends readonly T[]>(
    list: List & ([Exclude<T, List[number]>] extends [never] ? unknown : never),
  ): List =>
    list

export const TICKET_STATUSES = everyOne<TicketStatus>()([
  'new',
  'open',
  'pending',
  'on_hold',
  'solved',
  'closed',
])
export const TICKET_PRIORITIES = everyOne<TicketPriority>()(['low', 'normal', 'high', 'urgent'])
export const TICKET_SORTS = everyOne<TicketSort>()(['updated', 'created', 'priority', 'due'])
