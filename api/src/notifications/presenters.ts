// Output shapes of the notifications area.
import { z } from 'zod'
import { NOTIFICATION_EVENT_NAMES, NOTIFICATION_EVENTS } from './rules.ts'

const preferenceShape = Object.fromEntries(
  NOTIFICATION_EVENT_NAMES.map((name) => [name, z.boolean()]),
) as Record<(typeof NOTIFICATION_EVENT_NAMES)[number], z.ZodBoolean>

/** Every event with whether the person gets mail about it, and what it is (for the page). */
export const NotificationPreferencesOut = z.object({
  preferences: z.object(preferenceShape),
  events: z.array(
    z.object({
      name: z.enum(NOTIFICATION_EVENT_NAMES),
      audience: z.enum(['customer', 'staff']),
      label: z.string(),
    }),
  ),
})

export function presentPreferences(
  preferences: Record<(typeof NOTIFICATION_EVENT_NAMES)[number], boolean>,
  role: string,
): z.input<typeof NotificationPreferencesOut> {
  return {
    preferences,
    events: NOTIFICATION_EVENT_NAMES.filter(
      (name) => role !== 'customer' || NOTIFICATION_EVENTS[name].audience === 'customer',
    ).map((name) => ({ name, ...NOTIFICATION_EVENTS[name] })),
  }
}
