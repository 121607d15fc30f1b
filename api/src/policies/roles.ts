import { z } from 'zod'

/** Who someone is to the helpdesk: customers file tickets, agents work them, admins run it. */
export const ROLES = ['customer', 'agent', 'admin'] as const
export type Role = (typeof ROLES)[number]
export const RoleSchema = z.enum(ROLES)

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value)
}
