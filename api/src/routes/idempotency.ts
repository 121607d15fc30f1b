// `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header) for routes declared
// `.idempotent()`: the key is claimed, the work done and its answer stored in one transaction,
// so a retry (or a double click) gets the first answer again and the work happens once. A
// concurrent duplicate waits on the claimed row and then replays; a failed request stores
// nothing and may be retried. The same key with another request is a 422. Keys last a day.
import { createHash } from 'node:crypto'
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Context } from 'koa'
import { defineErrorType, HttpError } from '../errors.ts'
import type { JobDefinition } from '../jobs/queue.ts'
import { secretText } from './text.ts'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'
export const IDEMPOTENCY_KEY_REUSED = defineErrorType('idempotency_key_reused', {
  status: 422,
  title: 'This Idempotency-Key was used for another request',
})

/** How long an answer is kept for retries. */
const RETENTION = '24 hours'

/** Any value the client makes unique per intended request (a UUID, a random string). */
export const IdempotencyKey = secretText({ min: 1, max: 255 }).describe(
  'Any unique value per intended request, e.g. a UUID; retries send the same one',
)

interface StoredAnswer {
  request_hash: string
  status: number
  headers: Record<string, string>
  body: unknown
}

export interface IdempotentRequest {
  userId: string
  key: string
  /** Method, path and body: what the key stands for. */
  fingerprint: string
  /** Response headers kept with the answer (e.g. ETag). */
  headers: readonly string[]
}

export function fingerprint(ctx: Context, body: unknown): string {
  return createHash('sha256')
    .update(`${ctx.method} ${ctx.path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex')
}

/** Runs `work` (which answers on ctx) once per key; a repeat answers what the first did. */
export async function answerOnce(
  em: EntityManager,
  ctx: Context,
  request: IdempotentRequest,
  work: (tx: EntityManager) => Promise<void>,
): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.execute(
      `delete from idempotency_keys where user_id = ? and key = ?
       and created_at < now() - interval '${RETENTION}'`,
      [request.userId, request.key],
    )
    // Waits for a concurrent request with this key to finish; then the row is its answer.
    const claimed = await tx.execute<unknown[]>(
      `insert into idempotency_keys (user_id, key, request_hash, status, headers)
       values (?, ?, ?, 0, '{}') on conflict do nothing returning key`,
      [request.userId, request.key, request.fingerprint],
    )
    if (claimed.length === 0) {
      replay(ctx, await storedAnswer(tx, request))
      return
    }
    await work(tx)
    const headers = Object.fromEntries(
      request.headers.flatMap((name) => {
        const value = ctx.response.get(name)
        return value ? [[name, value]] : []
      }),
    )
    await tx.execute(
      `update idempotency_keys set status = ?, headers = ?::jsonb, body = ?::jsonb
       where user_id = ? and key = ?`,
      [
        ctx.status,
        JSON.stringify(headers),
        ctx.body === undefined ? null : JSON.stringify(ctx.body),
        request.userId,
        request.key,
      ],
    )
  })
}

async function storedAnswer(tx: EntityManager, request: IdempotentRequest): Promise<StoredAnswer> {
  const [stored] = await tx.execute<StoredAnswer[]>(
    'select request_hash, status, headers, body from idempotency_keys where user_id = ? and key = ?',
    [request.userId, request.key],
  )
  if (!stored) throw new Error('an idempotency key vanished while it was claimed')
  if (stored.request_hash !== request.fingerprint) {
    throw new HttpError(IDEMPOTENCY_KEY_REUSED, {
      detail: 'send a new Idempotency-Key for a different request',
      errors: [
        { path: `header.${IDEMPOTENCY_HEADER}`, message: 'already used for another request' },
      ],
    })
  }
  return stored
}

function replay(ctx: Context, stored: StoredAnswer): void {
  ctx.status = stored.status
  for (const [name, value] of Object.entries(stored.headers)) ctx.set(name, value)
  if (stored.body !== null) ctx.body = stored.body
}

/** Forgets answers older than a day. */
export const expireIdempotencyKeys: JobDefinition = {
  kind: 'idempotency.expire',
  everySeconds: 60 * 60,
  async handle({ em }) {
    await em.execute(
      `delete from idempotency_keys where created_at < now() - interval '${RETENTION}'`,
    )
  },
}
