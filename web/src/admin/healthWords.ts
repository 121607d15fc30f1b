// The System page's words for the health report: what each dependency really is (an embedded
// database, an in-memory cache and a local directory are named as such, never as the servers
// they stand in for) and how it is doing, one sentence each.
import type { Health } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'

type Checks = Health['checks']

export interface DependencyState {
  /** What the dependency is, e.g. "Embedded database (PGlite)". */
  name: string
  /** The badge: whether it works. */
  status: 'up' | 'down'
  sentence: string
}

export function describeHealth(checks: Checks): DependencyState[] {
  return [database(checks.database), cache(checks.redis), storage(checks.storage)]
}

const took = (latencyMs: number) =>
  m.system.milliseconds({ ms: Math.max(1, Math.round(latencyMs)) })
const reasonOf = (check: { detail?: string }) => check.detail ?? m.system.noReason

function database(check: Checks['database']): DependencyState {
  const embedded = check.mode === 'embedded'
  const name = embedded ? m.system.embeddedDatabase : m.system.postgres
  if (check.status === 'down') {
    return {
      name,
      status: 'down',
      sentence: m.system.databaseDown({ reason: reasonOf(check) }),
    }
  }
  const answered = (embedded ? m.system.embeddedAnswered : m.system.postgresAnswered)({
    took: took(check.latencyMs),
  })
  return { name, status: 'up', sentence: `${answered} ${schema(check.schema)}` }
}

function schema(status: Checks['database']['schema']): string {
  if (!status) return m.system.schemaUnknown
  if (status.current) {
    return status.version
      ? m.system.schemaCurrentAt({ version: status.version })
      : m.system.schemaCurrent
  }
  return m.system.migrationsPending({
    count: status.pending.length,
    names: status.pending.join(', '),
  })
}

function cache(check: Checks['redis']): DependencyState {
  if (check.mode === 'memory') {
    return {
      name: m.system.memoryCache,
      status: check.status,
      sentence: m.system.memoryCacheState,
    }
  }
  if (check.status === 'down') {
    return {
      name: m.system.redis,
      status: 'down',
      sentence: m.system.redisDown({ reason: reasonOf(check) }),
    }
  }
  return {
    name: m.system.redis,
    status: 'up',
    sentence: m.system.redisUp({ took: took(check.latencyMs) }),
  }
}

function storage(check: Checks['storage']): DependencyState {
  const local = check.mode === 'local'
  const name = local ? m.system.localStorage : m.system.s3Storage
  const directory = directoryOf(check.location)
  const bucket = check.location.replace(/^s3:\/\//, '')
  if (check.status === 'down') {
    const reason = reasonOf(check)
    const sentence = local
      ? m.system.localDown({ directory, reason })
      : m.system.bucketDown({ bucket, reason })
    return { name, status: 'down', sentence }
  }
  const answered = took(check.latencyMs)
  const sentence = local
    ? m.system.localUp({ directory, took: answered })
    : m.system.bucketUp({ bucket, took: answered })
  return { name, status: 'up', sentence }
}

/** `file:///data/attachments` → `/data/attachments`. */
function directoryOf(location: string): string {
  try {
    return decodeURIComponent(new URL(location).pathname)
  } catch {
    return location
  }
}
