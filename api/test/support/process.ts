import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { testAppKeysDir } from './app.ts'

export const HELPDESK_CLI = fileURLToPath(new URL('../../src/cli/helpdesk.ts', import.meta.url))
export const SERVE_WITH_FIXTURE = fileURLToPath(
  new URL('../fixtures/serve-with-fixture.ts', import.meta.url),
)

export interface CommandRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `helpdesk <args>` to completion with only PATH and `environment` from outside. */
export async function runHelpdesk(
  args: string[],
  environment: Record<string, string>,
): Promise<CommandRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [HELPDESK_CLI, ...args],
      {
        env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...environment },
        maxBuffer: 16 * 1024 * 1024,
      },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as CommandRun
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

export interface ServerProcess {
  /** The metrics port: /metrics and the detailed /healthz. */
  metricsUrl: string
  child: ChildProcess
  url: string
  stdout(): string
  stderr(): string
  /** Resolves with the exit code. */
  exited: Promise<number | null>
}

const running = new Set<ChildProcess>()

/** Kills what a failed test left running. */
export function killServerProcesses(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/** Starts an API process and waits for its "listening on" line (the port comes from there). */
export async function startServerProcess(
  script: string,
  environment: Record<string, string>,
  args: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script, ...args], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HELPDESK_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...(environment.DATABASE_URL ? { HELPDESK_APP_KEYS_DIR: testAppKeysDir() } : {}),
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  child.on('exit', () => running.delete(child))
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk
      const match = /listening on port (\d+)/.exec(stdout)
      if (match) resolve(match[1] as string)
    })
    exited.then((code) => reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`)))
  })
  const metricsPort = await new Promise<string>((resolve, reject) => {
    const found = () => /health report on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]
    const check = () => {
      const match = found()
      if (match) resolve(match)
    }
    check()
    child.stdout?.on('data', check)
    exited.then((code) => reject(new Error(`exited with ${code}:\n${stdout}\n${stderr}`)))
  })
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}`,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
  }
}

/** The JSON log lines a process wrote to stdout. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
