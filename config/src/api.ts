// The API's own settings: api/src/config.ts reads them (its parser must name exactly these),
// the Helpdesk chart and the operator (cdk8s/src/render) write them; both by these names. The
// connection variables are database.ts's, redis.ts's and s3.ts's.
export const API_VARIABLES = {
  port: 'PORT',
  metricsPort: 'HELPDESK_METRICS_PORT',
  metricsHost: 'HELPDESK_METRICS_HOST',
  logLevel: 'LOG_LEVEL',
  logFormat: 'LOG_FORMAT',
  publicUrl: 'HELPDESK_PUBLIC_URL',
  corsOrigins: 'HELPDESK_CORS_ORIGINS',
  cspConnectSrc: 'HELPDESK_CSP_CONNECT_SRC',
  trustProxy: 'HELPDESK_TRUST_PROXY',
  shutdownGraceMs: 'HELPDESK_SHUTDOWN_GRACE_MS',
  sessionCacheSeconds: 'HELPDESK_SESSION_CACHE_SECONDS',
  dataDir: 'HELPDESK_DATA_DIR',
  webDir: 'HELPDESK_WEB_DIR',
  maxAttachmentBytes: 'HELPDESK_MAX_ATTACHMENT_BYTES',
  attachmentQuotaPerUserBytes: 'HELPDESK_ATTACHMENT_QUOTA_PER_USER_BYTES',
  attachmentQuotaPerTicketBytes: 'HELPDESK_ATTACHMENT_QUOTA_PER_TICKET_BYTES',
  appKeysDir: 'HELPDESK_APP_KEYS_DIR',
  smtpHost: 'SMTP_HOST',
  smtpPort: 'SMTP_PORT',
  smtpSecurity: 'SMTP_SECURITY',
  smtpUser: 'SMTP_USER',
  smtpPassword: 'SMTP_PASSWORD',
  smtpTlsCaFile: 'SMTP_TLS_CA_FILE',
  /** A JSON list of channels; each one's password in HELPDESK_MAIL_CHANNEL_<NAME>_PASSWORD. */
  mailChannels: 'HELPDESK_MAIL_CHANNELS',
  /** A mounted Secret holding the two above as files. */
  mailChannelsDir: 'HELPDESK_MAIL_CHANNELS_DIR',
  bootstrapAdminEmail: 'HELPDESK_BOOTSTRAP_ADMIN_EMAIL',
  bootstrapAdminPassword: 'HELPDESK_BOOTSTRAP_ADMIN_PASSWORD',
} as const

export type ApiVariable = (typeof API_VARIABLES)[keyof typeof API_VARIABLES]
