// Input schemas of the canned responses area.
import { z } from 'zod'
import { multiLine, shaped, singleLine } from '../routes/text.ts'

/** What an agent types after `::` in the composer: lower case, so `Thanks` is `thanks`. */
export const Shortcut = shaped(
  /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
  'letters, digits, _ and - (a letter or digit first)',
  { max: 40 },
).transform((shortcut) => shortcut.toLowerCase())

/** Markdown with placeholders (placeholders.ts); as long as a message may be. */
const ResponseBody = multiLine({ max: 100_000 })

export const NewCannedResponse = z.object({
  shortcut: Shortcut,
  title: singleLine({ max: 200 }),
  body: ResponseBody,
  /** Shared with every agent (admins only); otherwise the author's own. */
  shared: z.boolean().default(false),
})
export type NewCannedResponse = z.output<typeof NewCannedResponse>

export const CannedResponseChanges = z.object({
  shortcut: Shortcut.optional(),
  title: singleLine({ max: 200 }).optional(),
  body: ResponseBody.optional(),
})
export type CannedResponseChanges = z.output<typeof CannedResponseChanges>
