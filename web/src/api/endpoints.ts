// Every API call the app makes, typed with the API's own shapes (types.ts, from the OpenAPI
// document: docs/api.md).
import { api, type Query, setCsrfToken, type UploadOptions, upload } from './client.ts'
import type {
  ApiToken,
  Attachment,
  AuditEvent,
  AuditFilters,
  BulkResult,
  BulkTicketChanges,
  CannedResponse,
  CannedResponseChanges,
  CreatedApiToken,
  Credentials,
  CurrentSession,
  Health,
  MailChannel,
  MailSettings,
  MailSettingsChanges,
  Message,
  NewCannedResponse,
  NewMailChannel,
  NewMessage,
  NewSavedView,
  NewTicket,
  NewToken,
  NewUser,
  NotificationPreferences,
  OutboundMail,
  OutboxItem,
  OutboxStatus,
  Page,
  Placeholder,
  PresenceState,
  PublicSettings,
  RecoveryCodes,
  Registration,
  SavedView,
  SavedViewChanges,
  Settings,
  SettingsChanges,
  SignedIn,
  SlaPolicy,
  Team,
  Ticket,
  TicketChanges,
  TicketCount,
  TicketEvent,
  TicketFilters,
  TicketPresence,
  TotpSetup,
  User,
  UserChanges,
  UserFilters,
} from './types.ts'

async function startSession(answer: Promise<SignedIn>): Promise<User> {
  const { user, csrfToken } = await answer
  setCsrfToken(csrfToken)
  return user
}

export const auth = {
  /**
   * The signed-in user, or null when this browser has no session: asked on every page load,
   * and answered without a 401 for a visitor, so their console shows no failed request.
   */
  session: async (): Promise<User | null> => {
    const { user, csrfToken } = await api.get<CurrentSession>('/auth/session', { anonymous: true })
    setCsrfToken(csrfToken)
    return user
  },
  login: (credentials: Credentials) =>
    startSession(api.post<SignedIn>('/auth/login', credentials, { anonymous: true })),
  register: (account: Registration) =>
    api.post<unknown>('/auth/register', account, { anonymous: true }),
  /** The same answer whether the address has an account or not. */
  forgotPassword: (email: string) =>
    api.post<unknown>('/auth/password/forgot', { email }, { anonymous: true }),
  /** With a mailed link's token: a reset, an invitation or a mail customer's first password. */
  setPassword: (token: string, password: string) =>
    api.post('/auth/password/reset', { token, password }, { anonymous: true }),
  verifyEmail: (token: string) =>
    api.post<unknown>('/auth/verify-email', { token }, { anonymous: true }),
  /** Other sessions end; this one continues with a new CSRF token. */
  changePassword: (currentPassword: string, newPassword: string) =>
    startSession(api.post<SignedIn>('/auth/password', { currentPassword, newPassword })),
  notificationPreferences: () => api.get<NotificationPreferences>('/account/notifications'),
  saveNotificationPreferences: (changes: Record<string, boolean>) =>
    api.put<NotificationPreferences>('/account/notifications', changes),
  logout: async () => {
    await api.post('/auth/logout', {}, { anonymous: true })
    setCsrfToken(undefined)
  },
  publicSettings: () => api.get<PublicSettings>('/settings/public', { anonymous: true }),
  setupTotp: () => api.post<TotpSetup>('/auth/mfa/totp/setup'),
  enableTotp: (code: string) => api.post<RecoveryCodes>('/auth/mfa/totp/enable', { code }),
  disableTotp: (code: string) => api.post('/auth/mfa/totp/disable', { code }),
  regenerateRecoveryCodes: () => api.post<RecoveryCodes>('/auth/mfa/recovery-codes'),
  /** Confirms the password: a fresh session that may change credentials for ten minutes. */
  reauthenticate: (password: string) =>
    startSession(api.post<SignedIn>('/auth/reauthenticate', { password })),
  /** Ends every session of the user and revokes their API tokens. */
  logoutEverywhere: async () => {
    await api.post('/auth/logout', { everywhere: true }, { anonymous: true })
    setCsrfToken(undefined)
  },
  tokens: () => api.get<Page<ApiToken>>('/auth/tokens', { query: { limit: 100 } }).then(itemsOf),
  createToken: (input: NewToken) => api.post<CreatedApiToken>('/auth/tokens', input),
  revokeToken: (id: string) => api.delete(`/auth/tokens/${encodeURIComponent(id)}`),
}

/** Short lists that fit one page (tokens, teams, SLA targets). */
function itemsOf<T>(page: Page<T>): T[] {
  return page.items
}

const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`

/**
 * The ETag of the version of each ticket this tab last read or saved: updates send it as
 * If-Match, so a change made on a stale copy is refused (412) instead of overwriting.
 */
const ticketVersions = new Map<string, string>()
const rememberVersion = (id: string) => (headers: Headers) => {
  const etag = headers.get('ETag')
  if (etag) ticketVersions.set(id, etag)
}

export const tickets = {
  list: (filters: TicketFilters, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Ticket>>('/tickets', { query: { ...filters, cursor } as Query, signal }),
  count: (filters: TicketFilters, signal?: AbortSignal) =>
    api.get<TicketCount>('/tickets/count', { query: filters as Query, signal }),
  get: (id: string, signal?: AbortSignal) =>
    api.get<Ticket>(ticketPath(id), { signal, onHeaders: rememberVersion(id) }),
  /** `idempotencyKey`: one per form submission, so a retry or double click files once. */
  create: (input: NewTicket, idempotencyKey: string) =>
    api.post<Ticket>('/tickets', input, { headers: { 'Idempotency-Key': idempotencyKey } }),
  /** Only if the ticket is still the version last read here: ApiError 412 otherwise. */
  update: (id: string, changes: TicketChanges) => {
    const version = ticketVersions.get(id)
    return api.patch<Ticket>(ticketPath(id), changes, {
      headers: version ? { 'If-Match': version } : {},
      onHeaders: rememberVersion(id),
    })
  },
  /** One change to many tickets; the answer says what became of each (docs/api.md). */
  updateMany: (input: BulkTicketChanges) => api.post<BulkResult>('/tickets/bulk', input),
  messages: (id: string, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<Message>>(`${ticketPath(id)}/messages`, { query: { cursor, limit: 100 }, signal }),
  addMessage: (id: string, input: NewMessage, idempotencyKey: string) =>
    api.post<Message>(`${ticketPath(id)}/messages`, input, {
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  /**
   * Staff: who else is on the ticket; renew within `renewInMs` or others see you leave. Sent
   * in the background, so a 401 opens no dialog: the reader's next action says the session
   * ended, not a timer.
   */
  announcePresence: (id: string, state: PresenceState) =>
    api.put<TicketPresence>(`${ticketPath(id)}/presence`, { state }, { anonymous: true }),
  /** Sent as the page closes too: `keepalive` lets it outlive the page. */
  leavePresence: (id: string) =>
    api.delete(`${ticketPath(id)}/presence`, { keepalive: true, anonymous: true }),
  events: (id: string, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<TicketEvent>>(`${ticketPath(id)}/events`, {
      query: { cursor, limit: 100 },
      signal,
    }),
  /** The uploader, or staff: the file leaves storage at once. */
  removeAttachment: (attachmentId: string) =>
    api.delete(`/attachments/${encodeURIComponent(attachmentId)}`),
  attach: (id: string, file: File, messageId: string | undefined, options?: UploadOptions) => {
    const form = new FormData()
    if (messageId) form.set('messageId', messageId)
    form.set('file', file)
    return upload<Attachment>(`${ticketPath(id)}/attachments`, form, options)
  },
}

export const attachmentUrl = (id: string) => `/api/v1/attachments/${encodeURIComponent(id)}`
/** Raster images only (`previewable`): the same file, shown inline. */
export const attachmentPreviewUrl = (id: string) => `${attachmentUrl(id)}/preview`

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`

export const users = {
  list: (query: UserFilters, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<User>>('/users', { query: { ...query, cursor, limit: 100 }, signal }),
  create: (input: NewUser) => api.post<User>('/users', input),
  update: (id: string, changes: UserChanges) => api.patch<User>(userPath(id), changes),
  /** Mails a link to set a password: an invitation, or a new password for a locked-out user. */
  invite: (id: string) => api.post<unknown>(`${userPath(id)}/invitation`),
  /** For someone who lost their authenticator: they enrol again at next sign-in. */
  resetMfa: (id: string) => api.delete(`${userPath(id)}/mfa`),
  export: (id: string) => api.get<unknown>(`${userPath(id)}/export`),
  erase: (id: string) => api.post(`${userPath(id)}/erase`),
}

const cannedPath = (id: string) => `/canned-responses/${encodeURIComponent(id)}`

/** Canned responses: the shared ones and the signed-in person's own (a page holds them all). */
export const cannedResponses = {
  list: (signal?: AbortSignal) =>
    api
      .get<Page<CannedResponse>>('/canned-responses', { query: { limit: 100 }, signal })
      .then(itemsOf),
  placeholders: (signal?: AbortSignal) =>
    api
      .get<{ items: Placeholder[] }>('/canned-responses/placeholders', { signal })
      .then((answer) => answer.items),
  create: (input: NewCannedResponse) => api.post<CannedResponse>('/canned-responses', input),
  update: (id: string, changes: CannedResponseChanges) =>
    api.patch<CannedResponse>(cannedPath(id), changes),
  remove: (id: string) => api.delete(cannedPath(id)),
  /** The body with its placeholders filled for this ticket and the signed-in agent. */
  rendered: (id: string, ticketId: string) =>
    api
      .get<{ body: string }>(`${cannedPath(id)}/rendered`, { query: { ticketId } })
      .then((answer) => answer.body),
}

const savedViewPath = (id: string) => `/saved-views/${encodeURIComponent(id)}`

/** The signed-in agent's saved views: ticket-list queries kept under a name. */
export const savedViews = {
  list: (signal?: AbortSignal) =>
    api.get<{ items: SavedView[] }>('/saved-views', { signal }).then((answer) => answer.items),
  create: (input: NewSavedView) => api.post<SavedView>('/saved-views', input),
  update: (id: string, changes: SavedViewChanges) =>
    api.patch<SavedView>(savedViewPath(id), changes),
  remove: (id: string) => api.delete(savedViewPath(id)),
}

const teamPath = (id: string) => `/teams/${encodeURIComponent(id)}`

export const teams = {
  list: (signal?: AbortSignal) =>
    api.get<Page<Team>>('/teams', { query: { limit: 100 }, signal }).then(itemsOf),
  create: (name: string) => api.post<Team>('/teams', { name }),
  rename: (id: string, name: string) => api.patch<Team>(teamPath(id), { name }),
  remove: (id: string) => api.delete(teamPath(id)),
  setMembers: (id: string, userIds: string[]) =>
    api.put<unknown>(`${teamPath(id)}/members`, { userIds }),
}

export const admin = {
  settings: () => api.get<Settings>('/settings'),
  saveSettings: (changes: SettingsChanges) => api.put<Settings>('/settings', changes),
  slaPolicies: () => api.get<Page<SlaPolicy>>('/sla-policies').then(itemsOf),
  saveSlaPolicies: (items: SlaPolicy[]) =>
    api.put<Page<SlaPolicy>>('/sla-policies', { items }).then(itemsOf),
  auditEvents: (filters: AuditFilters, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<AuditEvent>>('/audit-events', { query: { ...filters, cursor }, signal }),
  /** Every dependency's status, latency and facts (the public /healthz says only up or down). */
  health: (signal?: AbortSignal) => api.get<Health>('/system/health', { signal }),
}

const outboxPath = (id: string) => `/mail/outbox/${encodeURIComponent(id)}`
const channelPath = (id: string) => `/mail/channels/${encodeURIComponent(id)}`

/** Admin → Email: settings, the outbox with its dead letters, and the mail channels. */
export const mail = {
  settings: (signal?: AbortSignal) => api.get<MailSettings>('/mail/settings', { signal }),
  saveSettings: (changes: MailSettingsChanges) => api.put<MailSettings>('/mail/settings', changes),
  sendTest: (to: string) => api.post<OutboxItem>('/mail/test', { to }),
  outbox: (status: OutboxStatus | undefined, cursor?: string, signal?: AbortSignal) =>
    api.get<Page<OutboxItem>>('/mail/outbox', { query: { status, cursor }, signal }),
  outboundMail: (id: string) => api.get<OutboundMail>(outboxPath(id)),
  retry: (id: string) => api.post<OutboxItem>(`${outboxPath(id)}/retry`),
  channels: (signal?: AbortSignal) =>
    api.get<{ items: MailChannel[] }>('/mail/channels', { signal }).then((answer) => answer.items),
  addChannel: (input: NewMailChannel) => api.post<MailChannel>('/mail/channels', input),
  setChannelEnabled: (id: string, enabled: boolean) =>
    api.patch<MailChannel>(channelPath(id), { enabled }),
  removeChannel: (id: string) => api.delete(channelPath(id)),
}
