import { definePolicy } from '../policies/policy.ts'

/** The audit log is read by admins only, and written by the server only. */
export const auditEvents = definePolicy<never>()('audit', { read: { admin: true } })
