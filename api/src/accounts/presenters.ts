// Output shapes of the accounts area (docs/api.md "Users and roles", "Authentication"): never
// a password hash, a TOTP secret or a token's hash.
import { z } from 'zod'
import { RoleSchema } from '../policies/roles.ts'
import type { ApiTokenEntity, UserEntity } from './entities.ts'

export const UserOut = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  mfaEnabled: z.boolean(),
  mfaRequired: z.boolean(),
  createdAt: z.iso.datetime(),
})
export type UserOut = z.infer<typeof UserOut>

export function presentUser(user: UserEntity): UserOut {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    mfaEnabled: user.mfaEnabled,
    mfaRequired: user.mfaRequired,
    createdAt: user.createdAt.toISOString(),
  }
}

export const SignedIn = z.object({ user: UserOut, csrfToken: z.string() })

export const TokenOut = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
})

/** The one answer that holds the token itself. */
export const CreatedTokenOut = TokenOut.extend({ token: z.string() })

export function presentToken(token: ApiTokenEntity): z.input<typeof TokenOut> {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  }
}
