// How the API finds its Redis: REDIS_URL, or the discrete REDIS_* variables the charts and the
// operator write. None set: sessions and rate limits live in the process (embedded mode).
import { z } from 'zod'
import {
  type Environment,
  flag,
  integer,
  type Problems,
  readableFile,
  readVariables,
  text,
} from './variables.ts'

export const REDIS_VARIABLES = {
  url: 'REDIS_URL',
  host: 'REDIS_HOST',
  port: 'REDIS_PORT',
  username: 'REDIS_USERNAME',
  password: 'REDIS_PASSWORD',
  tls: 'REDIS_TLS',
  tlsCaFile: 'REDIS_TLS_CA_FILE',
} as const

export interface RedisSettings {
  url: string
  /** Present for TLS connections; `ca` is the bundle's text when one is configured. */
  tls?: { ca?: string }
}

const V = REDIS_VARIABLES
const variables = {
  [V.url]: text.pipe(
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  [V.host]: text,
  [V.port]: integer(6379, 1, 65535),
  [V.username]: text,
  [V.password]: text,
  [V.tls]: flag(false),
  [V.tlsCaFile]: text,
}

/** The configured Redis, or null when none is (embedded mode). */
export function parseRedis(environment: Environment, problems: Problems): RedisSettings | null {
  const env = readVariables(variables, environment, problems)
  const host = env[V.host]
  const username = env[V.username]
  const password = env[V.password]
  const caFile = env[V.tlsCaFile]
  if (env[V.url] && host) {
    problems.push(
      `${V.url}: set either ${V.url} or ${V.host} (with ${V.port}, ${V.username}, ${V.password})`,
    )
  }
  const ca = caFile && readableFile(V.tlsCaFile, caFile, problems)
  let url = env[V.url]
  if (!url && host) {
    const scheme = env[V.tls] ? 'rediss' : 'redis'
    // An ACL user (Redis 6+) goes before the colon; without one, the default user.
    const user = username ? encodeURIComponent(username) : ''
    const secret = password ? `:${encodeURIComponent(password)}` : ''
    const credentials = user || secret ? `${user}${secret}@` : ''
    url = `${scheme}://${credentials}${host}:${env[V.port]}`
  }
  if (!url) {
    if (username || password || env[V.tls] || ca) {
      problems.push(`${V.host}: required when ${V.username}, ${V.password} or REDIS_TLS* are set`)
    }
    return null
  }
  const tls = url.startsWith('rediss:') || env[V.tls]
  if (tls && !url.startsWith('rediss:')) url = url.replace(/^redis:/, 'rediss:')
  return { url, ...(tls ? { tls: ca ? { ca } : {} } : {}) }
}
