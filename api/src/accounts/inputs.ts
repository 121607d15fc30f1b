// Input schemas of the accounts area: people, sign-in, MFA codes and API tokens.
import { z } from 'zod'
import { ROLES, RoleSchema } from '../policies/roles.ts'
import { commaList } from '../routes/pagination.ts'
import { characters, secretText, shaped, singleLine, Timestamp } from '../routes/text.ts'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts'

/**
 * An address as people write them: ASCII, a local part of at most 64 characters without
 * leading, trailing or doubled dots, and a domain of host-name labels (letters, digits and
 * inner hyphens, at most 63 each) ending in a top-level domain of letters. zod's default
 * pattern lets a label end in a hyphen (`a@b-.example`), which no mail system delivers to
 * and JSON Schema's `email` format refuses. Compared and stored lower-cased.
 */
const EMAIL_PATTERN =
  /^(?=[^@]{1,64}@)(?!\.)(?!.*\.\.)[A-Za-z0-9_'+\-.]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/
export const Email = z
  .email({ pattern: EMAIL_PATTERN })
  .refine((email) => characters(email) <= 254, 'at most 254 characters')
  .meta({ maxLength: 254 })
  .transform((email) => email.toLowerCase())
export const PersonName = singleLine({ max: 200 })
/** A new password; sign-in accepts any length so old passwords keep working. */
export const NewPassword = secretText({ min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })
/** A password being checked (sign-in, re-authentication). */
export const GivenPassword = secretText({ min: 1, max: PASSWORD_MAX_LENGTH })

/** `GET /users` filters: roles (a comma list) and text in the name or email. */
export const UserFilters = {
  role: commaList(ROLES).optional(),
  q: singleLine({ max: 100 }).optional(),
}

export const NewUser = z.object({
  email: Email,
  name: PersonName,
  role: RoleSchema,
  /** Without one the account cannot sign in until an admin sets a password. */
  password: NewPassword.optional(),
})
export type NewUser = z.output<typeof NewUser>

export const UserChanges = z.object({
  name: PersonName.optional(),
  email: Email.optional(),
  role: RoleSchema.optional(),
  mfaRequired: z.boolean().optional(),
  password: NewPassword.optional(),
})
export type UserChanges = z.output<typeof UserChanges>

export const Registration = z.object({ email: Email, name: PersonName, password: NewPassword })

export const Credentials = z.object({
  email: Email,
  password: GivenPassword,
  totp: shaped(/^[0-9]{6}$/, 'six digits', { max: 6 }).optional(),
  recoveryCode: secretText({ min: 1, max: 64 }).optional(),
})

/**
 * A TOTP code from the app, or (to turn TOTP off) a recovery code; people paste them with
 * spaces around.
 */
export const MfaCode = z.strictObject({
  code: secretText({ min: 6, max: 64 }).transform((code) => code.trim()),
})

/** `expiresAt` must also lie ahead: a 422 from the route, not a schema rule. */
export const NewToken = z.object({
  name: singleLine({ max: 100 }),
  expiresAt: Timestamp.optional(),
})
export type NewToken = z.output<typeof NewToken>
