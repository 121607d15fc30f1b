// Reads of the accounts area: users by id, by email and in pages; a user's API tokens.

import type { FilterQuery } from '@mikro-orm/core'
import { LockMode } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { HttpError } from '../errors.ts'
import type { Role } from '../policies/roles.ts'
import { decodeCursor, KeyText, toPage } from '../routes/pagination.ts'
import { Timestamp } from '../routes/text.ts'
import { ApiToken, type ApiTokenEntity, User, type UserEntity } from './entities.ts'
import { presentToken, presentUser } from './presenters.ts'

/** Enough for one person's scripts; each token is a standing credential. */
export const MAX_TOKENS_PER_USER = 50

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

export interface UserPageRequest {
  limit: number
  cursor?: string | undefined
  role?: Role[] | undefined
  /** Text in the name or the email. */
  q?: string | undefined
}

/** Live users by name, then id (keyset pages). */
export async function userPage(em: EntityManager, request: UserPageRequest) {
  const after = decodeCursor(request.cursor, z.tuple([KeyText, z.uuid()]))
  const conditions: FilterQuery<UserEntity>[] = [{ erasedAt: null }]
  if (request.role) conditions.push({ role: { $in: request.role } })
  if (request.q) {
    const pattern = `%${request.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    conditions.push({ $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] })
  }
  if (after) {
    const [name, id] = after
    conditions.push({ $or: [{ name: { $gt: name } }, { name, id: { $gt: id } }] })
  }
  const rows = await em.find(
    User,
    { $and: conditions },
    { orderBy: { name: 'asc', id: 'asc' }, limit: request.limit + 1 },
  )
  return toPage(rows, request.limit, presentUser, (user) => [user.name, user.id])
}

/** A page of the user's API tokens, newest first (keyset pages). */
export async function tokenPage(
  em: EntityManager,
  userId: string,
  request: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(request.cursor, z.tuple([Timestamp, z.uuid()]))
  const rows = await em.find(
    ApiToken,
    after
      ? {
          userId,
          $or: [
            { createdAt: { $lt: new Date(after[0]) } },
            { createdAt: new Date(after[0]), id: { $lt: after[1] } },
          ],
        }
      : { userId },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: request.limit + 1 },
  )
  return toPage(rows, request.limit, presentToken, (token) => [
    token.createdAt.toISOString(),
    token.id,
  ])
}

/** An API token by id, or 404 (the caller checks whose it is). */
export async function findToken(em: EntityManager, id: string): Promise<ApiTokenEntity> {
  const token = await em.findOne(ApiToken, { id })
  if (!token) throw new HttpError('not_found')
  return token
}
