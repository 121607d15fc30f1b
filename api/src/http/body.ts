import type { Context } from 'koa'
import getRawBody from 'raw-body'
import { HttpError } from '../errors.ts'

/**
 * Reads a JSON body of at most `limit` bytes: 415 unless the request says JSON, 413 above the
 * limit (checked against Content-Length before reading, and while reading), 400 when it does
 * not parse. An empty body counts as absent.
 */
export async function readJsonBody(ctx: Context, limit: number): Promise<unknown> {
  const length = ctx.request.length
  const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== ''
  if (!hasBody) return undefined
  if (!ctx.is('application/json')) {
    throw new HttpError('unsupported_media_type', { detail: 'send Content-Type: application/json' })
  }
  const charset = ctx.request.charset || 'utf-8'
  if (charset.toLowerCase() !== 'utf-8') {
    throw new HttpError('unsupported_media_type', { detail: 'JSON bodies must be UTF-8' })
  }
  const text = await getRawBody(ctx.req, {
    limit,
    encoding: 'utf-8',
    ...(Number.isFinite(length) ? { length } : {}),
  })
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new HttpError('invalid_json', { detail: (error as Error).message })
  }
}
