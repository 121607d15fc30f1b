import { defineEntity, p } from '@mikro-orm/core'
import { ROLES } from '../policies/roles.ts'

/**
 * A person who signs in. `email` is stored lower-cased and unique; erasure keeps the row (so
 * tickets stay attributed) but replaces every personal field and sets `erasedAt`.
 */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    email: p.text(),
    name: p.text(),
    role: p.enum(ROLES),
    /** argon2id PHC string; null for an account that cannot sign in with a password. */
    passwordHash: p.text().nullable().hidden(),
    mfaEnabled: p.boolean().default(false),
    /** Base32 TOTP secret once enrolled; `totpPendingSecret` between setup and enable. */
    totpSecret: p.text().nullable().hidden(),
    totpPendingSecret: p.text().nullable().hidden(),
    /** The newest TOTP time step accepted: a code from it or an earlier step is a replay. */
    totpLastStep: p.bigint('number').nullable().hidden(),
    /** An admin made MFA mandatory for this user (admins always need it). */
    mfaRequired: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    erasedAt: p.datetime().nullable(),
    /** When the address was proven (a link from a mail), or vouched for by an admin. */
    emailVerifiedAt: p.datetime().nullable(),
  },
})
export type UserEntity = InstanceType<typeof User.class>

/** An API token: only the SHA-256 of the secret is kept, so a database dump holds no token. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    userId: p.uuid(),
    name: p.text(),
    tokenHash: p.text().hidden(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
})
export type ApiTokenEntity = InstanceType<typeof ApiToken.class>

/** One-time MFA recovery codes, hashed; using one deletes it. */
export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_codes',
  properties: {
    userId: p.uuid().primary(),
    codeHash: p.text().primary(),
  },
})

export const ACCOUNT_ENTITIES = [User, ApiToken, RecoveryCode]
