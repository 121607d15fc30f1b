// One process of the node (containerd, etcd, the kubelet, ...) under a watchdog: it never
// outlives the test run, and its output goes to a log that failures quote.
import { type SupervisedProcess, supervise, waitUntilReady } from '../process.ts'
import { logFile } from '../session.ts'

export interface ComponentSpec {
  name: string
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Resolves true once the component serves; polled until then. */
  ready: () => Promise<boolean>
  readyTimeoutMs?: number
}

export type Component = SupervisedProcess

export async function startComponent(spec: ComponentSpec): Promise<Component> {
  const child = supervise({
    name: spec.name,
    command: spec.command,
    args: spec.args,
    env: Object.fromEntries(
      Object.entries(spec.env ?? process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    ),
    log: logFile(spec.name),
    graceMs: 5_000,
  })
  await waitUntilReady(child, spec.ready, {
    timeoutMs: spec.readyTimeoutMs ?? 120_000,
    intervalMs: 250,
  })
  return child
}
