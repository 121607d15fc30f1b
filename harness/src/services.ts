import { type ClusterInfo, type ClusterOptions, startCluster } from './cluster/cluster.ts'
import { createNamespace, type KubernetesInfo, startKubernetes } from './kubernetes.ts'
import { createBucket, type S3Info, startMinio } from './minio.ts'
import { createDatabase, type PostgresInfo, postgresUrl, startPostgres } from './postgres.ts'
import { type RedisInfo, redisKeyPrefix, startRedis } from './redis.ts'

export type ServiceName = 'postgres' | 'redis' | 's3' | 'kubernetes' | 'cluster'

/** Connection facts of shared services, passed to test workers as JSON in the env. */
export interface ServicesInfo {
  postgres?: PostgresInfo
  redis?: RedisInfo
  s3?: S3Info
  kubernetes?: KubernetesInfo
  cluster?: ClusterInfo
}

/** Settings of the services that take any (JSON-safe: they travel in jest's configuration). */
export interface ServiceOptions {
  cluster?: Omit<ClusterOptions, 'log'>
}

export interface StartedServices {
  info: ServicesInfo
  stop(): Promise<void>
}

const SERVICES_ENV = 'HELPDESK_TEST_SERVICES'

/** Starts the named services side by side; if one fails, the others are stopped. */
export async function startServices(
  names: readonly ServiceName[],
  options: ServiceOptions = {},
): Promise<StartedServices> {
  const starters = {
    postgres: startPostgres,
    redis: startRedis,
    s3: startMinio,
    kubernetes: startKubernetes,
    cluster: () => startCheckedCluster(options.cluster),
  }
  const results = await Promise.allSettled(
    names.map(async (name) => [name, await starters[name]()] as const),
  )
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const stop = async () => {
    await Promise.all(started.map(([, service]) => service.stop()))
  }
  const failure = results.find((result) => result.status === 'rejected')
  if (failure) {
    await stop()
    throw failure.reason
  }
  const info: ServicesInfo = {}
  for (const [name, service] of started) {
    // Only the JSON-safe connection facts travel to workers.
    Object.assign(info, { [name]: JSON.parse(JSON.stringify(service)) })
  }
  return { info, stop }
}

/** A test cluster whose stop fails when the host is not left as it was found. */
async function startCheckedCluster(options: ServiceOptions['cluster']) {
  const cluster = await startCluster({
    ...options,
    log: (line) => process.stderr.write(`[cluster] ${line}\n`),
  })
  return {
    ...cluster,
    async stop() {
      const changes = await cluster.stop()
      if (changes.length > 0) {
        throw new Error(`the test cluster left the host changed:\n${changes.join('\n')}`)
      }
    },
  }
}

/** Makes started services visible to test workers (they inherit the environment). */
export function publishServices(info: ServicesInfo): void {
  process.env[SERVICES_ENV] = JSON.stringify(info)
}

function published(): ServicesInfo {
  const raw = process.env[SERVICES_ENV]
  return raw ? (JSON.parse(raw) as ServicesInfo) : {}
}

function required<K extends keyof ServicesInfo>(name: K): NonNullable<ServicesInfo[K]> {
  const info = published()[name]
  if (!info) {
    throw new Error(
      `the ${name} test service is not running: list '${name}' in this package's jestConfig({ services })`,
    )
  }
  return info as NonNullable<ServicesInfo[K]>
}

/**
 * The shared services of this test run, with helpers that give each test file its own
 * database, key prefix, bucket or namespace, so parallel files never collide.
 */
export const testServices = {
  postgres: () => {
    const info = required('postgres')
    return {
      ...info,
      url: (database = 'postgres') => postgresUrl(info, database),
      createDatabase: (prefix?: string) => createDatabase(info, prefix),
    }
  },
  redis: () => ({ ...required('redis'), keyPrefix: redisKeyPrefix }),
  s3: () => {
    const info = required('s3')
    return { ...info, createBucket: (prefix?: string) => createBucket(info, prefix) }
  },
  cluster: () => required('cluster'),
  kubernetes: () => {
    const info = required('kubernetes')
    return {
      ...info,
      createNamespace: (prefix?: string, labels?: Record<string, string>) =>
        createNamespace(info, prefix, labels),
    }
  },
}
