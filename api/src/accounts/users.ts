// Users: the input schemas, the output shape and the writes other features build on.
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import { User, type UserEntity } from './entities.ts'
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts'
import type { Role } from './roles.ts'

/** Emails are compared and stored lower-cased. */
export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254))
export const PersonName = z.string().trim().min(1).max(200)
/** A new password; sign-in accepts any non-empty string so old passwords keep working. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH)

export const UserOut = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['customer', 'agent', 'admin']),
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

export interface NewUser {
  email: string
  name: string
  role: Role
  /** Without one the account cannot sign in until an admin sets a password. */
  password?: string | undefined
}

/** Inserts a user; 409 conflict when the email is taken. */
export async function createUser(em: EntityManager, input: NewUser): Promise<UserEntity> {
  const user = em.create(User, {
    email: input.email,
    name: input.name,
    role: input.role,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password),
    mfaEnabled: false,
    mfaRequired: false,
    totpSecret: null,
    totpPendingSecret: null,
    totpLastStep: null,
    erasedAt: null,
  })
  try {
    await em.flush()
  } catch (error) {
    throw asEmailConflict(error)
  }
  return user
}

export function asEmailConflict(error: unknown): unknown {
  if (!(error instanceof UniqueConstraintViolationException)) return error
  return new HttpError('conflict', {
    detail: 'a user with this email exists',
    errors: [{ path: 'body.email', message: 'already in use' }],
  })
}

/** A live (not erased) user by id, or 404; `forUpdate` locks the row until the transaction ends. */
export async function findUser(
  em: EntityManager,
  id: string,
  { forUpdate = false } = {},
): Promise<UserEntity> {
  const user = await em.findOne(
    User,
    { id, erasedAt: null },
    forUpdate ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  )
  if (!user) throw new HttpError('not_found', { detail: 'no such user' })
  return user
}

export function findUserByEmail(em: EntityManager, email: string): Promise<UserEntity | null> {
  return em.findOne(User, { email: email.toLowerCase(), erasedAt: null })
}
