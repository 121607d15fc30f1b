// Input schemas of the mail area.
import { z } from 'zod'
import { Email } from '../accounts/inputs.ts'
import { multiLine, singleLine } from '../routes/text.ts'
import { OUTBOX_STATUSES } from './queries.ts'

export const MailSettingsChanges = z.object({
  senderName: singleLine({ max: 100 }).optional(),
  senderAddress: Email.optional(),
  /** Empty: no signature. */
  signature: z.union([z.literal(''), multiLine({ max: 2000 })]).optional(),
  notificationWindowSeconds: z.number().int().min(0).max(3600).optional(),
})

export const TestMail = z.object({ to: Email })

export const OutboxFilters = { status: z.enum(OUTBOX_STATUSES).optional() }
