import { Migration20261128090100_audit } from '../db/migrations/Migration20261128090100_audit.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { listAuditEvents } from './routes.ts'

/** The append-only audit log every feature writes to (audit.ts) and admins read. */
export const auditModule: HelpdeskModule = {
  name: 'audit',
  migrations: [{ name: 'Migration20261128090100_audit', class: Migration20261128090100_audit }],
  routes: [listAuditEvents],
}
