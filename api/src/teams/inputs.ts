// Input schemas of the teams area.
import { z } from 'zod'

/** More members than any helpdesk team has; keeps one request bounded. */
const MAX_MEMBERS = 500

export const TeamName = z.object({ name: z.string().trim().min(1).max(100) })

export const TeamMembers = z.object({ userIds: z.array(z.uuid()).max(MAX_MEMBERS) })
