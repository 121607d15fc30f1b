// Input schemas of the channels area.
import { z } from 'zod'
import { Email } from '../accounts/inputs.ts'
import { secretText, shaped, singleLine } from '../routes/text.ts'

const ChannelName = shaped(
  /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/,
  'lower-case letters, digits and -',
  {
    max: 40,
  },
)
const Host = shaped(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, 'a host name or address', {
  max: 253,
})

const channelFields = {
  name: ChannelName,
  /** The address customers write to; replies go to it with the ticket's token. */
  address: Email,
  teamId: z.uuid().nullable().optional(),
  host: Host,
  port: z.number().int().min(1).max(65535),
  security: z.enum(['tls', 'starttls', 'none']),
  username: singleLine({ max: 320 }),
  password: secretText({ min: 1, max: 1024 }),
  mailbox: singleLine({ max: 200 }).optional(),
  /** idle: new mail is read the moment it arrives (IMAP IDLE); poll: every pollSeconds. */
  mode: z.enum(['idle', 'poll']).optional(),
  pollSeconds: z.number().int().min(5).max(3600).optional(),
  enabled: z.boolean().optional(),
}

export const NewChannel = z.object(channelFields)
export type NewChannel = z.output<typeof NewChannel>

export const ChannelChanges = z.object(
  Object.fromEntries(
    Object.entries(channelFields).map(([name, schema]) => [name, schema.optional()]),
  ) as { [K in keyof typeof channelFields]: z.ZodOptional<(typeof channelFields)[K]> },
)
export type ChannelChanges = z.output<typeof ChannelChanges>
