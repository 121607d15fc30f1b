// API tokens: `hd_` + 256 random bits, shown once; only the SHA-256 is stored.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf } from '../routes/pagination.ts'
import { createApiToken, revokeApiToken } from './commands.ts'
import { assertRecentPassword } from './credentials.ts'
import { NewToken } from './inputs.ts'
import { tokens } from './policy.ts'
import { CreatedTokenOut, presentToken, TokenOut } from './presenters.ts'
import { findToken, tokenPage } from './queries.ts'

export const listTokens = route
  .get('/auth/tokens')
  .operationId('listTokens')
  .summary('My API tokens, newest first (never the secrets)', 'auth')
  .auth(tokens.list.permission)
  .query(z.object(PageQuery))
  .response(200, pageOf(TokenOut))
  .handle(async ({ actor, query, em }) => tokenPage(em, actor.userId, query))

export const createToken = route
  .post('/auth/tokens')
  .operationId('createToken')
  .summary('Create an API token; the token is in this answer only', 'auth')
  .auth(tokens.create.permission)
  .body(NewToken)
  .response(201, CreatedTokenOut)
  .response(403, undefined, 'Not a browser session, or its password was typed too long ago')
  .response(409, undefined, 'Too many tokens')
  .response(422, undefined, 'expiresAt is not in the future')
  .handle(async ({ actor, body, ctx, em }) => {
    authorize(actor, tokens.create, { userId: actor.userId })
    assertRecentPassword(actor)
    const origin = { ...auditOrigin(ctx, actor), actorId: actor.userId }
    const { token, secret } = await createApiToken(em, origin, body)
    return { ...presentToken(token), token: secret }
  })

export const deleteToken = route
  .delete('/auth/tokens/:id')
  .operationId('deleteToken')
  .summary('Revoke an API token', 'auth')
  .params(z.object({ id: z.uuid() }))
  .auth(tokens.delete.permission)
  .response(204)
  .handle(async ({ actor, params, ctx, em }) => {
    const token = await findToken(em, params.id)
    authorize(actor, tokens.delete, token)
    await revokeApiToken(em, auditOrigin(ctx, actor), token)
  })
