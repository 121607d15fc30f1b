// Output pieces many features present the same way: a reference to a person or a team, and
// timestamps as RFC 3339 UTC (docs/api.md "Conventions").
import { z } from 'zod'

/** Someone or something named: a requester, an assignee, a team member, a team. */
export const Person = z.object({ id: z.uuid(), name: z.string() })
export type Person = z.infer<typeof Person>

/** Postgres timestamps (text) and ORM dates alike, as RFC 3339 UTC. */
export function iso(value: string | Date): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString()
}

export function isoOrNull(value: string | Date | null): string | null {
  return value === null ? null : iso(value)
}
