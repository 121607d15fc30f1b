// One cluster per host: the cluster directory doubles as the lock. Its owner file names the
// process that made it (pid and start time); a live owner makes the next run wait, a dead one
// means a killed run whose leftovers are removed before the directory is taken.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { processIdentity } from '../proc.ts'
import { CLUSTER_DIR, paths } from './layout.ts'
import { teardown } from './teardown.ts'

/** A directory without an owner file this old was left by a run killed while taking it. */
const UNOWNED_GRACE_MS = 30_000
const POLL_MS = 2_000

type Holder = { state: 'free' } | { state: 'alive'; owner: string } | { state: 'abandoned' }

function holder(): Holder {
  let owner: string
  try {
    owner = readFileSync(paths.owner, 'utf8')
  } catch {
    try {
      const age = Date.now() - statSync(CLUSTER_DIR).mtimeMs
      return age > UNOWNED_GRACE_MS ? { state: 'abandoned' } : { state: 'alive', owner: 'unknown' }
    } catch {
      return { state: 'free' }
    }
  }
  const pid = Number(owner.split(':')[0])
  return processIdentity(pid) === owner ? { state: 'alive', owner } : { state: 'abandoned' }
}

/**
 * Removes the cluster a killed run left (its owner is gone); true when there was one. What
 * every new run does first; a cluster whose owner still runs is left alone.
 */
export function reapAbandonedCluster(log: (line: string) => void = () => {}): boolean {
  if (holder().state !== 'abandoned') return false
  log(`removing the test cluster a killed run left in ${CLUSTER_DIR}`)
  teardown()
  return true
}

/**
 * Takes the cluster directory for this process, waiting up to `waitMs` for a running cluster
 * (another test run) to finish, and removing what a killed run left.
 */
export async function takeClusterDir(waitMs: number, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + waitMs
  let told = false
  for (;;) {
    try {
      mkdirSync(CLUSTER_DIR, { mode: 0o711 })
      writeFileSync(paths.owner, processIdentity(process.pid) ?? String(process.pid))
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (reapAbandonedCluster(log)) continue
    const current = holder()
    if (current.state === 'alive') {
      if (Date.now() > deadline) {
        throw new Error(
          `another test cluster (process ${current.owner}) has held ${CLUSTER_DIR} for too long; one cluster runs at a time`,
        )
      }
      if (!told) log(`waiting for the test cluster of process ${current.owner} to finish`)
      told = true
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
