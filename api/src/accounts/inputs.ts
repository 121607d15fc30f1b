// Input schemas of the accounts area: people, sign-in, MFA codes and API tokens.
import { z } from 'zod'
import { commaList } from '../routes/pagination.ts'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts'
import { ROLES, RoleSchema } from './roles.ts'

/** Emails are compared and stored lower-cased. */
export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254))
export const PersonName = z.string().trim().min(1).max(200)
/** A new password; sign-in accepts any non-empty string so old passwords keep working. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH)

/** `GET /users` filters: roles (a comma list) and text in the name or email. */
export const UserFilters = {
  role: commaList(ROLES).optional(),
  q: z.string().trim().min(1).max(100).optional(),
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
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totp: z
    .string()
    .regex(/^\d{6}$/, 'six digits')
    .optional(),
  recoveryCode: z.string().min(1).max(64).optional(),
})

/** A TOTP code from the app, or (to turn TOTP off) a recovery code. */
export const MfaCode = z.strictObject({ code: z.string().trim().min(6).max(64) })

export const NewToken = z.object({
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso
    .datetime({ offset: true })
    .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
    .optional(),
})
export type NewToken = z.output<typeof NewToken>
