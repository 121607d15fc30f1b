// API tokens: `hd_` + 256 random bits, shown once; only the SHA-256 is stored.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { createApiToken, revokeApiToken } from './commands.ts'
import { NewToken } from './inputs.ts'
import { tokens } from './policy.ts'
import { CreatedTokenOut, presentToken, TokenOut } from './presenters.ts'
import { findToken, tokensOf } from './queries.ts'

export const listTokens = route
  .get('/auth/tokens')
  .summary('My API tokens (never the secrets)', 'auth')
  .auth(tokens.list.permission)
  .response(200, z.object({ items: z.array(TokenOut), nextCursor: z.null() }))
  .handle(async ({ actor, em }) => ({
    items: (await tokensOf(em, actor.userId)).map(presentToken),
    nextCursor: null,
  }))

export const createToken = route
  .post('/auth/tokens')
  .summary('Create an API token; the token is in this answer only', 'auth')
  .auth(tokens.create.permission)
  .body(NewToken)
  .response(201, CreatedTokenOut)
  .response(409, undefined, 'Too many tokens')
  .handle(async ({ actor, body, ctx, em }) => {
    authorize(actor, tokens.create, { userId: actor.userId })
    const origin = { ...auditOrigin(ctx, actor), actorId: actor.userId }
    const { token, secret } = await createApiToken(em, origin, body)
    return { ...presentToken(token), token: secret }
  })

export const deleteToken = route
  .delete('/auth/tokens/:id')
  .summary('Revoke an API token', 'auth')
  .params(z.object({ id: z.uuid() }))
  .auth(tokens.delete.permission)
  .response(204)
  .response(404, undefined, 'No such token of yours')
  .handle(async ({ actor, params, ctx, em }) => {
    const token = await findToken(em, params.id)
    authorize(actor, tokens.delete, token)
    await revokeApiToken(em, auditOrigin(ctx, actor), token)
  })
