// Users: list (agents pick requesters and assignees), create, read, update. Admin-only fields
// (email, role, password, MFA requirement) need `users:manage`.
import type { FilterQuery } from '@mikro-orm/core'
import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { type AuditOrigin, auditOrigin, recordAudit } from '../audit/audit.ts'
import { HttpError } from '../errors.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { commaList, decodeCursor, PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { User, type UserEntity } from './entities.ts'
import { hashPassword } from './passwords.ts'
import { ROLES, RoleSchema } from './roles.ts'
import { users } from './user-policy.ts'
import {
  asEmailConflict,
  createUser,
  Email,
  findUser,
  NewPassword,
  PersonName,
  presentUser,
  UserOut,
} from './users.ts'

const UserId = z.object({ id: z.uuid() })
const UserCursor = z.tuple([z.string(), z.uuid()])

export const listUsers = route
  .get('/users')
  .summary('Users by name; filter by role (comma list) and name/email text', 'users')
  .auth(users.list.permission)
  .query(
    z.object({
      ...PageQuery,
      role: commaList(ROLES).optional(),
      q: z.string().trim().min(1).max(100).optional(),
    }),
  )
  .response(200, pageOf(UserOut))
  .handle(async ({ query, em }) => {
    const after = decodeCursor(query.cursor, UserCursor)
    const conditions: FilterQuery<UserEntity>[] = [{ erasedAt: null }]
    if (query.role) conditions.push({ role: { $in: query.role } })
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
      conditions.push({ $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] })
    }
    if (after) {
      const [name, id] = after
      conditions.push({ $or: [{ name: { $gt: name } }, { name, id: { $gt: id } }] })
    }
    const rows = await em.find(
      User,
      { $and: conditions },
      { orderBy: { name: 'asc', id: 'asc' }, limit: query.limit + 1 },
    )
    return toPage(rows, query.limit, presentUser, (user) => [user.name, user.id])
  })

export const createUserRoute = route
  .post('/users')
  .summary('Create a user (admin)', 'users')
  .auth(users.create.permission)
  .body(
    z.object({
      email: Email,
      name: PersonName,
      role: RoleSchema,
      password: NewPassword.optional(),
    }),
  )
  .response(201, UserOut)
  .response(409, undefined, 'The email is taken')
  .handle(async ({ body, actor, ctx, em }) => {
    const user = await em.transactional(async (tx) => {
      const created = await createUser(tx, body)
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'user.created',
        targetType: 'user',
        targetId: created.id,
        details: { role: created.role },
      })
      return created
    })
    return presentUser(user)
  })

export const getUser = route
  .get('/users/:id')
  .summary('One user (customers: only themselves)', 'users')
  .params(UserId)
  .auth(users.read.permission)
  .response(200, UserOut)
  .handle(async ({ params, actor, em }) => {
    authorize(actor, users.read, params)
    return presentUser(await findUser(em, params.id))
  })

const UserChanges = z.object({
  name: PersonName.optional(),
  email: Email.optional(),
  role: RoleSchema.optional(),
  mfaRequired: z.boolean().optional(),
  password: NewPassword.optional(),
})
type UserChanges = z.infer<typeof UserChanges>

export const updateUser = route
  .patch('/users/:id')
  .summary('Change a user: own name; admins also email, role, password, MFA requirement', 'users')
  .params(UserId)
  .auth(users.update.permission)
  .body(UserChanges)
  .response(200, UserOut)
  .response(409, undefined, 'The email is taken, or the last admin would be demoted')
  .handle(async ({ params, body, actor, ctx, em, services }) => {
    authorize(actor, users.update, params)
    if (Object.keys(body).some((field) => field !== 'name')) authorize(actor, users.manage, params)
    const { user, endSessions } = await em.transactional((tx) =>
      applyUserChanges(tx, params.id, body, auditOrigin(ctx, actor)),
    )
    if (endSessions) await services.sessions.destroyForUser(user.id)
    return presentUser(user)
  })

/** Writes the changes and their audit events; says whether the user's sessions must end. */
async function applyUserChanges(
  tx: EntityManager,
  id: string,
  changes: UserChanges,
  origin: AuditOrigin,
): Promise<{ user: UserEntity; endSessions: boolean }> {
  const user = await findUser(tx, id, { forUpdate: true })
  const audit = (action: string, details: Record<string, unknown>) =>
    recordAudit(tx, origin, { action, targetType: 'user', targetId: user.id, details })
  if (changes.role !== undefined && changes.role !== user.role) {
    if (user.role === 'admin') await assertAnotherAdmin(tx, user.id)
    await audit('user.role_changed', { from: user.role, to: changes.role })
  }
  if (changes.mfaRequired !== undefined && changes.mfaRequired !== user.mfaRequired) {
    await audit('user.mfa_requirement_changed', { from: user.mfaRequired, to: changes.mfaRequired })
  }
  const renamed = (['name', 'email'] as const).filter(
    (field) => changes[field] !== undefined && changes[field] !== user[field],
  )
  if (renamed.length > 0) await audit('user.updated', { fields: renamed })
  if (changes.password !== undefined) await audit('user.password_set', {})
  const endSessions =
    (changes.role !== undefined && changes.role !== user.role) || changes.password !== undefined
  tx.assign(user, {
    ...(changes.name === undefined ? {} : { name: changes.name }),
    ...(changes.email === undefined ? {} : { email: changes.email }),
    ...(changes.role === undefined ? {} : { role: changes.role }),
    ...(changes.mfaRequired === undefined ? {} : { mfaRequired: changes.mfaRequired }),
    ...(changes.password === undefined
      ? {}
      : { passwordHash: await hashPassword(changes.password) }),
  })
  try {
    await tx.flush()
  } catch (error) {
    throw asEmailConflict(error)
  }
  return { user, endSessions }
}

/** An installation always keeps an admin who can sign in. */
export async function assertAnotherAdmin(tx: EntityManager, leaving: string): Promise<void> {
  // Locks every admin row: two admins demoting each other at once cannot both succeed.
  const admins = await tx.execute<{ id: string }[]>(
    `select id from users where role = 'admin' and erased_at is null for update`,
  )
  if (!admins.some((admin) => admin.id !== leaving)) {
    throw new HttpError('conflict', { detail: 'the last admin cannot be demoted or erased' })
  }
}

export const resetUserMfa = route
  .delete('/users/:id/mfa')
  .summary('Turn off a user’s TOTP (lost device); they enrol again', 'users')
  .params(UserId)
  .auth(users.manage.permission)
  .response(204)
  .handle(async ({ params, actor, ctx, em, services }) => {
    await em.transactional(async (tx) => {
      const user = await findUser(tx, params.id, { forUpdate: true })
      tx.assign(user, { mfaEnabled: false, totpSecret: null, totpPendingSecret: null })
      await tx.execute('delete from recovery_codes where user_id = ?', [user.id], 'run')
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'user.mfa_reset',
        targetType: 'user',
        targetId: user.id,
      })
    })
    await services.sessions.destroyForUser(params.id)
  })
