// What the bucket holds: every backup directory with the state of its manifest and objects.
import { startOfId } from './backup-id.ts'
import { mapLimit } from './concurrency.ts'
import type { Engine } from './engine.ts'
import { BackupError, messageOf, notFoundError } from './errors.ts'
import { type Manifest, openManifest } from './manifest.ts'
import type { RetentionCandidate } from './retention.ts'
import { BACKUPS_DIR, backupKeys, listObjects, readText, type StoredObject } from './storage.ts'

/**
 * good: the manifest authenticates and the objects it names are there with their sizes.
 * unknown-key: the manifest names a key the keyring does not hold; nothing can be checked.
 * invalid: the manifest failed authentication or an object is missing or of the wrong size.
 * incomplete: no manifest; a backup that failed, or one still running.
 */
export type BackupStatus = 'good' | 'unknown-key' | 'invalid' | 'incomplete'

export interface CatalogEntry extends Partial<RetentionCandidate> {
  id: string
  status: BackupStatus
  problem?: string
  /** The manifest's content; authenticated only when status is good. */
  manifest?: Manifest
  objects: StoredObject[]
  /** When its newest object was written. */
  lastModified: Date
}

export async function readCatalog(engine: Engine): Promise<CatalogEntry[]> {
  const directory = `${engine.store.prefix}${BACKUPS_DIR}`
  const byId = new Map<string, StoredObject[]>()
  for await (const object of listObjects(engine.store.client, engine.store.bucket, directory)) {
    const id = object.key.slice(directory.length).split('/')[0]
    if (!id) continue
    byId.set(id, [...(byId.get(id) ?? []), object])
  }
  const entries = await mapLimit([...byId], 8, ([id, objects]) => describe(engine, id, objects))
  // Newest first by start time; ids only have whole seconds.
  const time = (entry: CatalogEntry) =>
    (entry.startedAt ?? startOfId(entry.id) ?? entry.lastModified).getTime()
  return entries.sort((a, b) => time(b) - time(a) || (a.id < b.id ? 1 : -1))
}

async function describe(
  engine: Engine,
  id: string,
  objects: StoredObject[],
): Promise<CatalogEntry> {
  const keys = backupKeys(engine.store, id)
  const lastModified = new Date(Math.max(...objects.map((object) => object.lastModified.getTime())))
  const base = { id, objects, lastModified }
  if (!objects.some((object) => object.key === keys.manifest)) {
    return { ...base, status: 'incomplete' }
  }
  let opened: ReturnType<typeof openManifest>
  try {
    opened = openManifest((await readText(engine.store, keys.manifest)) ?? '', keys.manifest)
  } catch (error) {
    if (error instanceof BackupError && error.kind === 'unavailable') throw error
    return { ...base, status: 'invalid', problem: messageOf(error) }
  }
  const { manifest } = opened
  const described = {
    ...base,
    manifest,
    tier: manifest.tier,
    startedAt: new Date(manifest.startedAt),
  }
  if (!engine.keyring.keyIds.includes(opened.macKeyId)) {
    return {
      ...described,
      status: 'unknown-key',
      good: false,
      problem: `key '${opened.macKeyId}' is not in the keyring`,
    }
  }
  try {
    opened.authenticate(engine.keyring)
  } catch (error) {
    return { ...described, status: 'invalid', good: false, problem: messageOf(error) }
  }
  const missing = expectedObjects(engine, manifest).filter(
    ({ key, bytes }) => !objects.some((object) => object.key === key && object.size === bytes),
  )
  if (missing.length > 0) {
    return {
      ...described,
      status: 'invalid',
      good: false,
      problem: `missing or wrong size: ${missing.map(({ key }) => key).join(', ')}`,
    }
  }
  return { ...described, status: 'good', good: true }
}

function expectedObjects(engine: Engine, manifest: Manifest) {
  const prefix = engine.store.prefix
  return [
    { key: `${prefix}${manifest.dump.key}`, bytes: manifest.dump.ciphertextBytes },
    ...(manifest.attachments
      ? [
          {
            key: `${prefix}${manifest.attachments.index.key}`,
            bytes: manifest.attachments.index.ciphertextBytes,
          },
        ]
      : []),
  ]
}

/**
 * The manifest of a named backup, or of the newest good one, authenticated. A backup
 * without a manifest, or none at all, is a not-found error.
 */
export async function findBackup(engine: Engine, id?: string): Promise<Manifest> {
  if (id === undefined) {
    const newest = (await readCatalog(engine)).find((entry) => entry.status === 'good')
    if (!newest?.manifest) {
      throw notFoundError(
        `no complete backup under s3://${engine.store.bucket}/${engine.store.prefix}${BACKUPS_DIR}`,
      )
    }
    return newest.manifest
  }
  if (!/^[0-9A-Za-z-]+$/.test(id)) throw notFoundError(`'${id}' is not a backup id`)
  const keys = backupKeys(engine.store, id)
  const text = await readText(engine.store, keys.manifest)
  if (text === undefined) {
    throw notFoundError(
      `backup ${id} has no manifest (s3://${engine.store.bucket}/${keys.manifest}): it does not exist or never completed`,
    )
  }
  const manifest = openManifest(text, keys.manifest).authenticate(engine.keyring)
  if (manifest.id !== id) {
    throw new BackupError(
      'integrity',
      `${keys.manifest} describes backup ${manifest.id}, not ${id}`,
    )
  }
  return manifest
}
