// Input schemas of the teams area.
import { z } from 'zod'
import { singleLine } from '../routes/text.ts'

/** More members than any helpdesk team has; keeps one request bounded. */
const MAX_MEMBERS = 500

export const TeamName = z.object({ name: singleLine({ max: 100 }) })

export const TeamMembers = z.object({ userIds: z.array(z.uuid()).max(MAX_MEMBERS) })
