// The application keys an API container with an external database needs (the chart mounts
// its generated Secret at this path), and a metrics port of its own on the host network.
import { randomBytes } from 'node:crypto'
import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { freePort, serviceDir } from '@helpdesk/harness'

const MOUNTED_AT = '/etc/helpdesk/app-keys'

/** Environment and volume for one API container. */
export async function apiKeysAndMetrics(): Promise<{
  env: Record<string, string>
  volumes: string[]
}> {
  const dir = serviceDir('app-keys')
  // The image's non-root user reads the mounted directory, as it reads the chart's Secret.
  chmodSync(dir, 0o755)
  writeFileSync(path.join(dir, '0-generated'), randomBytes(32).toString('base64'), { mode: 0o644 })
  return {
    env: { HELPDESK_APP_KEYS_DIR: MOUNTED_AT, HELPDESK_METRICS_PORT: String(await freePort()) },
    volumes: [`${dir}:${MOUNTED_AT}:ro`],
  }
}
