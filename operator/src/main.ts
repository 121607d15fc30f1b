// The operator process: configuration from the environment (README.md), JSON logs on
// stdout, /healthz and /metrics on HELPDESK_OPERATOR_METRICS_PORT, graceful shutdown on
// SIGTERM/SIGINT.
import { KubeConfig } from '@kubernetes/client-node'
import { loadConfig, type OperatorConfig } from './config.ts'
import { Operator } from './operator.ts'
import { systemClock } from './runtime/clock.ts'
import { HealthServer } from './runtime/http-server.ts'
import { createLogger } from './runtime/logger.ts'
import { kubernetesMetricsAuthorizer } from './runtime/metrics-auth.ts'

let config: OperatorConfig
try {
  config = loadConfig(process.env)
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`)
  process.exit(78)
}

const logger = createLogger(config.logLevel)
const kubeConfig = new KubeConfig()
// In a pod: the service account; elsewhere: $KUBECONFIG or ~/.kube/config.
kubeConfig.loadFromDefault()

const operator = new Operator({
  kubeConfig,
  watchNamespaces: config.watchNamespaces,
  leaderElection: config.leaderElection,
  concurrency: config.concurrency,
  resyncIntervalMs: config.resyncIntervalMs,
  upgradeIntervalMs: config.upgradeIntervalMs,
  logger,
})
const server = new HealthServer(
  operator.metrics,
  { health: () => operator.health(), ready: () => operator.ready() },
  config.metricsAuth === 'kubernetes'
    ? kubernetesMetricsAuthorizer(operator.client, systemClock)
    : undefined,
)

process.on('unhandledRejection', (error) => {
  logger.fatal({ err: error }, 'unhandled rejection')
  process.exit(1)
})

let stopping = false
async function shutDown(signal: string) {
  if (stopping) return
  stopping = true
  logger.info({ signal }, 'shutting down: finishing reconciles in flight, releasing the lease')
  const deadline = setTimeout(() => {
    logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown took too long; exiting')
    process.exit(1)
  }, config.shutdownGraceMs)
  deadline.unref()
  await operator.stop()
  await server.close()
  logger.info('stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutDown('SIGTERM'))
process.on('SIGINT', () => void shutDown('SIGINT'))

const port = await server.listen(config.metricsPort, '0.0.0.0')
logger.info(
  {
    port,
    identity: config.leaderElection.identity,
    namespaces: config.watchNamespaces.length > 0 ? config.watchNamespaces : 'all',
  },
  'helpdesk-operator started; campaigning for leadership',
)
operator.start()
