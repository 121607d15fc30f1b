// Users: list (agents pick requesters and assignees), create, read, update. Admin-only fields
// (email, role, password, MFA requirement) need `users:manage`.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf } from '../routes/pagination.ts'
import { addUser, updateUser as changeUser, resetMfa, sendInvitation } from './commands.ts'
import { NewUser, UserChanges, UserFilters } from './inputs.ts'
import { users } from './policy.ts'
import { presentUser, UserOut } from './presenters.ts'
import { findUser, userPage } from './queries.ts'

const UserId = z.object({ id: z.uuid() })

export const listUsers = route
  .get('/users')
  .operationId('listUsers')
  .summary('Users by name; filter by role (comma list) and name/email text', 'users')
  .auth(users.list.permission)
  .query(z.object({ ...PageQuery, ...UserFilters }))
  .response(200, pageOf(UserOut))
  .handle(async ({ query, em }) => userPage(em, query))

export const createUserRoute = route
  .post('/users')
  .operationId('createUser')
  .summary('Create a user (admin)', 'users')
  .auth(users.create.permission)
  .body(NewUser)
  .response(201, UserOut)
  .response(409, undefined, 'The email is taken')
  .handle(async ({ body, actor, ctx, em }) =>
    presentUser(await addUser(em, auditOrigin(ctx, actor), body)),
  )

export const getUser = route
  .get('/users/:id')
  .operationId('getUser')
  .summary('One user (customers: only themselves)', 'users')
  .params(UserId)
  .auth(users.read.permission)
  .response(200, UserOut)
  .handle(async ({ params, actor, em }) => {
    authorize(actor, users.read, params)
    return presentUser(await findUser(em, params.id))
  })

export const updateUser = route
  .patch('/users/:id')
  .operationId('updateUser')
  .summary(
    'Change a user: own name; admins also email, role, password (ends their sessions and revokes their API tokens), MFA requirement',
    'users',
  )
  .params(UserId)
  .auth(users.update.permission)
  .body(UserChanges)
  .response(200, UserOut)
  .response(409, undefined, 'The email is taken, or the last admin would be demoted')
  .handle(async ({ params, body, actor, ctx, em, services }) => {
    authorize(actor, users.update, params)
    if (Object.keys(body).some((field) => field !== 'name')) authorize(actor, users.manage, params)
    const { user, endSessions } = await changeUser(em, auditOrigin(ctx, actor), params.id, body)
    if (endSessions) await services.sessions.destroyForUser(user.id)
    // MFA may now be required of them: what their sessions may do is decided again.
    else if (body.mfaRequired !== undefined) await services.sessions.actorChanged(user.id)
    return presentUser(user)
  })

export const resetUserMfa = route
  .delete('/users/:id/mfa')
  .operationId('resetUserMfa')
  .summary(
    'Turn off a user’s TOTP (lost device) and revoke their API tokens; they enrol again',
    'users',
  )
  .params(UserId)
  .auth(users.manage.permission)
  .response(204)
  .handle(async ({ params, actor, ctx, em, services }) => {
    await resetMfa(em, auditOrigin(ctx, actor), params.id)
    await services.sessions.destroyForUser(params.id)
  })

export const inviteUser = route
  .post('/users/:id/invitation')
  .operationId('inviteUser')
  .summary(
    'Mail the user a link to set their password: an invitation, or a new password (admin)',
    'users',
  )
  .params(UserId)
  .auth(users.manage.permission)
  .response(202, z.object({ status: z.literal('sent') }), 'The mail is in the outbox')
  .handle(async ({ params, actor, ctx, em, services }) => {
    await sendInvitation(em, services.config, auditOrigin(ctx, actor), params.id)
    return { status: 'sent' as const }
  })
