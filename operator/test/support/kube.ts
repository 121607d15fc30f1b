import { type KubernetesInfo, kubeconfigFor, testServices } from '@helpdesk/harness'
import { KubeConfig } from '@kubernetes/client-node'
import { KubeClient } from '../../src/kube/client.ts'
import { OperatorMetrics } from '../../src/runtime/metrics.ts'

/** A KubeConfig for the given server and bearer token. */
export function kubeConfigFor(
  cluster: Pick<KubernetesInfo, 'server' | 'ca' | 'token'>,
): KubeConfig {
  const config = new KubeConfig()
  config.loadFromString(kubeconfigFor(cluster))
  return config
}

/** Cluster-admin access to the shared test API server: what a test uses to set the scene. */
export function adminClient(cluster: KubernetesInfo = testServices.kubernetes()): KubeClient {
  return new KubeClient(kubeConfigFor(cluster), new OperatorMetrics(), 'test')
}

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const result = await check()
      if (result !== undefined && result !== false) return result
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/** The value at `path` inside an object (undefined when any step is missing), for assertions. */
export function field<T = unknown>(object: unknown, ...path: (string | number)[]): T | undefined {
  let value: unknown = object
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string | number, unknown>)[step]
  }
  return value as T | undefined
}
