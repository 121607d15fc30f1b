// API tokens: `hd_` + 256 random bits, shown once; only the SHA-256 is stored.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { HttpError } from '../errors.ts'
import { authorize } from '../policies/policy.ts'
import { route } from '../routes/define.ts'
import { hashToken } from './actor.ts'
import { ApiToken, type ApiTokenEntity } from './entities.ts'
import { tokens } from './token-policy.ts'

/** Enough for one person's scripts; each token is a standing credential. */
const MAX_TOKENS_PER_USER = 50

const TokenOut = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
})

function presentToken(token: ApiTokenEntity): z.input<typeof TokenOut> {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  }
}

export const listTokens = route
  .get('/auth/tokens')
  .summary('My API tokens (never the secrets)', 'auth')
  .auth(tokens.list.permission)
  .response(200, z.object({ items: z.array(TokenOut), nextCursor: z.null() }))
  .handle(async ({ actor, em }) => {
    const items = await em.find(
      ApiToken,
      { userId: actor.userId },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_TOKENS_PER_USER },
    )
    return { items: items.map(presentToken), nextCursor: null }
  })

export const createToken = route
  .post('/auth/tokens')
  .summary('Create an API token; the token is in this answer only', 'auth')
  .auth(tokens.create.permission)
  .body(
    z.object({
      name: z.string().trim().min(1).max(100),
      expiresAt: z.iso
        .datetime({ offset: true })
        .refine((value) => Date.parse(value) > Date.now(), 'must be in the future')
        .optional(),
    }),
  )
  .response(201, TokenOut.extend({ token: z.string() }))
  .response(409, undefined, 'Too many tokens')
  .handle(async ({ actor, body, ctx, em }) => {
    authorize(actor, tokens.create, { userId: actor.userId })
    const count = await em.count(ApiToken, { userId: actor.userId })
    if (count >= MAX_TOKENS_PER_USER) {
      throw new HttpError('conflict', {
        detail: `at most ${MAX_TOKENS_PER_USER} tokens; revoke one`,
      })
    }
    const secret = `hd_${randomBytes(32).toString('base64url')}`
    const token = em.create(ApiToken, {
      userId: actor.userId,
      name: body.name,
      tokenHash: hashToken(secret),
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
      lastUsedAt: null,
    })
    await em.flush()
    await recordAudit(em, auditOrigin(ctx, actor), {
      action: 'auth.token_created',
      targetType: 'api_token',
      targetId: token.id,
      details: { expiresAt: body.expiresAt ?? null },
    })
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
    const token = await em.findOne(ApiToken, { id: params.id })
    if (!token) throw new HttpError('not_found')
    authorize(actor, tokens.delete, token)
    em.remove(token)
    await em.flush()
    await recordAudit(em, auditOrigin(ctx, actor), {
      action: 'auth.token_revoked',
      targetType: 'api_token',
      targetId: params.id,
    })
  })
