// Embedded mode: a real Postgres (PGlite, Postgres compiled to WASM) inside this process,
// reachable over a Unix socket so the ORM, migrations and the backup engine use the same
// pg driver and SQL as in production.
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { UserError } from '../errors.ts'
import type { PostgresTarget } from './connection.ts'

export interface EmbeddedPostgres {
  target: PostgresTarget
  stop(): Promise<void>
}

const SOCKET_PORT = 5432

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true })
  const releaseLock = lockDataDir(dataDir)
  // Socket paths are limited to ~107 bytes, so the socket lives in a short temp dir.
  const socketDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-pg-'))
  let db: PGlite | undefined
  try {
    db = await PGlite.create({ dataDir })
    const server = new PGLiteSocketServer({
      db,
      path: path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
      maxConnections: 16,
    })
    await server.start()
    return {
      target: { host: socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
      async stop() {
        await server.stop()
        await db?.close()
        rmSync(socketDir, { recursive: true, force: true })
        releaseLock()
      },
    }
  } catch (error) {
    await db?.close().catch(() => {})
    rmSync(socketDir, { recursive: true, force: true })
    releaseLock()
    throw error
  }
}

/**
 * PGlite is a single-process database: a second process on the same files would corrupt
 * them. An exclusive lock file (with the owner's pid, so a crashed owner's lock is taken
 * over) refuses that with a clear message.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'helpdesk.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockFile, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(lockFile, 'utf8'))
      if (owner !== process.pid && processIsAlive(owner)) {
        throw new UserError(
          `the embedded database in ${dataDir} is in use by process ${owner} (another helpdesk or make run); stop it first`,
        )
      }
      rmSync(lockFile, { force: true })
    }
  }
  throw new UserError(`cannot lock the embedded database in ${dataDir}`)
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
