import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { access, constants, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { pathToFileURL } from 'node:url'
import {
  type AttachmentStorage,
  assertValidKey,
  meter,
  notFound,
  type PutOptions,
  type PutResult,
  type StoredObject,
} from './storage.ts'

interface Metadata {
  contentType: string
}

/**
 * Embedded mode: objects under `<root>/objects/<key>`, their metadata under `<root>/meta`.
 * Writes go to a temp file first and are renamed into place, so a failed or oversized upload
 * never leaves a partial object behind.
 */
export class LocalDirectoryStorage implements AttachmentStorage {
  readonly kind = 'local'
  readonly location: string
  readonly #root: string

  constructor(root: string) {
    this.#root = root
    this.location = pathToFileURL(root).href
  }

  async put(key: string, body: NodeJS.ReadableStream, options: PutOptions): Promise<PutResult> {
    const { object, meta } = this.#paths(key)
    const temp = path.join(this.#root, 'tmp', randomUUID())
    await Promise.all([
      mkdir(path.dirname(object), { recursive: true }),
      mkdir(path.dirname(meta), { recursive: true }),
      mkdir(path.dirname(temp), { recursive: true }),
    ])
    const metered = meter(options.maxBytes)
    try {
      await pipeline(body, metered.transform, createWriteStream(temp, { mode: 0o600 }))
      const metadata: Metadata = { contentType: options.contentType }
      await writeFile(`${temp}.meta`, JSON.stringify(metadata), { mode: 0o600 })
      await rename(`${temp}.meta`, meta)
      await rename(temp, object)
    } catch (error) {
      await Promise.all([rm(temp, { force: true }), rm(`${temp}.meta`, { force: true })])
      throw error
    }
    return metered.result()
  }

  async get(key: string): Promise<StoredObject> {
    const { object, meta } = this.#paths(key)
    try {
      const [metadata, info] = await Promise.all([readFile(meta, 'utf8'), stat(object)])
      return {
        body: createReadStream(object),
        size: info.size,
        contentType: (JSON.parse(metadata) as Metadata).contentType,
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(key)
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    const { object, meta } = this.#paths(key)
    await Promise.all([rm(object, { force: true }), rm(meta, { force: true })])
  }

  async check(): Promise<void> {
    await mkdir(this.#root, { recursive: true })
    await access(this.#root, constants.R_OK | constants.W_OK)
  }

  close(): void {
    // Nothing is held open between calls.
  }

  #paths(key: string) {
    assertValidKey(key)
    return {
      object: path.join(this.#root, 'objects', key),
      meta: path.join(this.#root, 'meta', `${key}.json`),
    }
  }
}
