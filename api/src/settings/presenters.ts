// Output shapes of the settings area: every setting (admins), and what anyone may read.
import { z } from 'zod'
import { TicketPriority } from '../tickets/vocabulary.ts'

/** Instance settings an admin changes at run time, kept in the app_setting table. */
export const Settings = z.object({
  /** Anyone may create a customer account with POST /auth/register. */
  selfSignupEnabled: z.boolean(),
  /** Agents must enrol MFA before they can work (admins always must). */
  mfaRequiredForAgents: z.boolean(),
  customerPriorities: z
    .array(TicketPriority)
    .describe(
      'The priorities customers may choose for a new request, lowest first; staff choose any',
    ),
})
export type Settings = z.infer<typeof Settings>

/** What the sign-in page and composers need before anyone signs in. */
export const PublicSettings = z.object({
  selfSignupEnabled: z.boolean(),
  customerPriorities: Settings.shape.customerPriorities,
  maxAttachmentBytes: z.number(),
})
