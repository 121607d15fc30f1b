import { z } from 'zod'
import { TICKET_PRIORITIES, TicketPriority } from '../tickets/vocabulary.ts'
import { Settings } from './presenters.ts'

/** At least one, kept in priority order without repeats whatever order they came in. */
const CustomerPriorities = z
  .array(TicketPriority)
  .min(1, 'customers must be offered at least one priority')
  .transform((chosen) => TICKET_PRIORITIES.filter((priority) => chosen.includes(priority)))

/** Omitted settings keep their value. */
export const SettingsChanges = Settings.extend({ customerPriorities: CustomerPriorities }).partial()
