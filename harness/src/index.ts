export { CHROMIUM_ARGS, launchBrowser } from './browser.ts'
export { ADDON_IMAGES } from './cluster/addons.ts'
export {
  type ClusterInfo,
  type ClusterOptions,
  startCluster,
  type TestCluster,
} from './cluster/cluster.ts'
export { type HostState, hostStateChanges, readHostState } from './cluster/host-state.ts'
export { CLUSTER_DIR } from './cluster/layout.ts'
export { type Outside, startOutside } from './cluster/outside.ts'
export { reapAbandonedCluster } from './cluster/ownership.ts'
export {
  type DovecotServer,
  type ImapInfo,
  type MailboxAccount,
  startDovecot,
} from './dovecot.ts'
export { helm } from './helm.ts'
export {
  createNamespace,
  type KubernetesCluster,
  type KubernetesInfo,
  kubeconfigFor,
  kubeRequest,
  startKubernetes,
} from './kubernetes.ts'
export {
  type MailMessage,
  type MailpitInfo,
  type MailpitOptions,
  type MailpitServer,
  type MailSummary,
  startMailpit,
} from './mailpit.ts'
export {
  createBucket,
  deleteBucket,
  type MinioServer,
  type S3Info,
  s3Client,
  startMinio,
} from './minio.ts'
export {
  type NginxConfigContext,
  type NginxOptions,
  type NginxServer,
  startNginx,
} from './nginx.ts'
export {
  createDatabase,
  type PostgresInfo,
  type PostgresServer,
  postgresUrl,
  startPostgres,
} from './postgres.ts'
export { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
export { type RedisInfo, type RedisServer, redisKeyPrefix, startRedis } from './redis.ts'
export {
  publishServices,
  type ServiceName,
  type ServicesInfo,
  startServices,
  testServices,
} from './services.ts'
export {
  freePort,
  logFile,
  randomSecret,
  reapAbandonedRoots,
  serviceDir,
  sessionRoot,
  uniqueId,
} from './session.ts'
export { cacheDir, repoRoot, toolPath, toolVersions } from './tools.ts'
