import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { sessionRoot } from './session.ts'
import { toolPath } from './tools.ts'

const run = promisify(execFile)

export interface HelmOptions {
  /** KUBECONFIG for commands that talk to a cluster. */
  kubeconfig?: string
  cwd?: string
}

/** Runs the project's pinned helm; resolves stdout, rejects with helm's own message. */
export async function helm(args: string[], options: HelmOptions = {}): Promise<string> {
  try {
    const { stdout } = await run(toolPath('helm'), args, {
      cwd: options.cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        ...(options.kubeconfig ? { KUBECONFIG: options.kubeconfig } : {}),
        // Keep helm's caches and plugin lookups away from the user's home.
        HELM_CACHE_HOME: path.join(sessionRoot(), 'helm', 'cache'),
        HELM_CONFIG_HOME: path.join(sessionRoot(), 'helm', 'config'),
        HELM_DATA_HOME: path.join(sessionRoot(), 'helm', 'data'),
      },
    })
    return stdout
  } catch (error) {
    const failure = error as Error & { stderr?: string }
    throw new Error(`helm ${args.join(' ')} failed:\n${failure.stderr || failure.message}`)
  }
}
