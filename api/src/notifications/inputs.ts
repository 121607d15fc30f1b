// Input schemas of the notifications area.
import { z } from 'zod'
import { shaped } from '../routes/text.ts'
import { NOTIFICATION_EVENT_NAMES } from './rules.ts'

export const PreferenceChanges = z.object(
  Object.fromEntries(
    NOTIFICATION_EVENT_NAMES.map((name) => [name, z.boolean().optional()]),
  ) as Record<(typeof NOTIFICATION_EVENT_NAMES)[number], z.ZodOptional<z.ZodBoolean>>,
)

export const UnsubscribeQuery = z.object({
  token: shaped(/^[A-Za-z0-9_-]+$/, 'the token from the mail', { max: 64 }),
})
