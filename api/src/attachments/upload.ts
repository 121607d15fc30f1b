// Receives one file from a multipart/form-data request and streams it into the attachment
// storage as it arrives: the file is never held in memory whole, an oversized one is cut off
// (413) while streaming, and a failure at any point leaves nothing stored.
import { Readable } from 'node:stream'
import busboy from 'busboy'
import type { Context } from 'koa'
import { HttpError } from '../errors.ts'
import type { AttachmentStorage } from '../storage/storage.ts'
import { sanitizeFilename } from './filename.ts'
import { SNIFF_BYTES, sniffContentType } from './sniff.ts'

/** Room for the multipart boundaries, part headers and the small fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024

export interface ReceivedFile {
  filename: string
  contentType: string
  size: number
  sha256: string
  /** The form's other fields (only those named in `fields`). */
  fields: Record<string, string>
}

export interface UploadOptions {
  storage: AttachmentStorage
  key: string
  maxBytes: number
  /** Names of the text fields the form may carry besides `file`. */
  fields: readonly string[]
}

function badUpload(detail: string): HttpError {
  return new HttpError('validation_error', { detail, errors: [{ path: 'body', message: detail }] })
}

/** The request's one `file` part, stored under `options.key`. */
export async function receiveFile(ctx: Context, options: UploadOptions): Promise<ReceivedFile> {
  if (!ctx.is('multipart/form-data')) {
    throw new HttpError('unsupported_media_type', { detail: 'send multipart/form-data' })
  }
  // A declared length says at once what streaming would find out later.
  if (ctx.request.length > options.maxBytes + MULTIPART_OVERHEAD) {
    throw new HttpError('payload_too_large', { detail: `the limit is ${options.maxBytes} bytes` })
  }
  let parser: busboy.Busboy
  try {
    parser = busboy({
      headers: ctx.req.headers,
      // Browsers send non-ASCII file names as raw UTF-8.
      defParamCharset: 'utf8',
      // Beyond these busboy drops parts and tells (filesLimit, fieldsLimit): a 400 here.
      limits: { files: 1, fields: options.fields.length },
    })
  } catch (error) {
    throw badUpload((error as Error).message)
  }
  const received = await parse(ctx, parser, options)
  return received
}

function parse(ctx: Context, parser: busboy.Busboy, options: UploadOptions) {
  return new Promise<ReceivedFile>((resolve, reject) => {
    const fields: Record<string, string> = {}
    let file: Readable | undefined
    let stored: Promise<Omit<ReceivedFile, 'fields'>> | undefined
    let settled = false
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      ctx.req.unpipe(parser)
      file?.destroy(error as Error)
      // Whatever was stored already goes again; storage deletes are idempotent.
      const cleanup = stored ? stored.then(() => options.storage.delete(options.key)) : undefined
      Promise.resolve(cleanup)
        .catch(() => {})
        .finally(() => reject(error))
    }
    parser.on('field', (name, value, info) => {
      if (!options.fields.includes(name) || info.valueTruncated) {
        fail(badUpload(`unexpected form field ${JSON.stringify(name)}`))
        return
      }
      fields[name] = value
    })
    parser.on('file', (name, stream, info) => {
      // A part parsed after the request failed (busboy may still hold it) must not be stored:
      // nobody would delete it.
      if (settled) {
        stream.resume()
        return
      }
      if (name !== 'file' || file) {
        stream.resume()
        fail(badUpload('send one file, in the form field "file"'))
        return
      }
      file = stream
      stored = store(stream, info.filename, options)
      stored.catch(fail)
    })
    for (const limit of ['filesLimit', 'fieldsLimit']) {
      parser.on(limit, () => fail(badUpload('too many form fields or files')))
    }
    parser.on('error', (error: Error) =>
      fail(badUpload(`malformed multipart body: ${error.message}`)),
    )
    parser.on('close', () => {
      if (settled) return
      if (!stored) {
        fail(badUpload('send one file, in the form field "file"'))
        return
      }
      stored.then((result) => {
        if (settled) return
        settled = true
        resolve({ ...result, fields })
      }, fail)
    })
    ctx.req.on('close', () => {
      if (!ctx.req.complete) fail(badUpload('the upload was cut off'))
    })
    ctx.req.pipe(parser)
  })
}

async function store(
  stream: Readable,
  rawFilename: string | undefined,
  options: UploadOptions,
): Promise<Omit<ReceivedFile, 'fields'>> {
  const { head, body } = await peek(stream, SNIFF_BYTES)
  const contentType = await sniffContentType(head)
  const { size, sha256 } = await options.storage.put(options.key, body, {
    contentType,
    maxBytes: options.maxBytes,
  })
  return { filename: sanitizeFilename(rawFilename ?? ''), contentType, size, sha256 }
}

/** The first `bytes` of a stream (fewer if it ends sooner), and the whole stream again. */
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; body: Readable }> {
  const iterator: AsyncIterator<Buffer> = stream[Symbol.asyncIterator]()
  const chunks: Buffer[] = []
  let length = 0
  let done = false
  while (length < bytes) {
    const next = await iterator.next()
    if (next.done) {
      done = true
      break
    }
    chunks.push(next.value)
    length += next.value.length
  }
  async function* replay() {
    yield* chunks
    if (done) return
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value
    }
  }
  return { head: Buffer.concat(chunks).subarray(0, bytes), body: Readable.from(replay()) }
}
