import { type ChildProcess, execFile, spawn } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { BackupError } from './errors.ts'

const STDERR_TAIL_BYTES = 8192

export interface ToolProcess {
  child: ChildProcess
  /** Resolves when the tool exits with 0; rejects with its stderr otherwise. */
  exited: Promise<void>
}

/** Starts a client tool with its own environment; stdin/stdout are pipes for streaming. */
export function spawnTool(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdio: { stdin: boolean; stdout: boolean },
): ToolProcess {
  const child = spawn(command, args, {
    env,
    stdio: [stdio.stdin ? 'pipe' : 'ignore', stdio.stdout ? 'pipe' : 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_BYTES)
  })
  const name = path.basename(command)
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new BackupError('failure', `${name}: ${error.message}`)))
    child.on('close', (code, signal) => {
      if (code === 0) resolve()
      else {
        const how = signal ? `was stopped by ${signal}` : `failed with exit code ${code}`
        reject(new BackupError('failure', `${name} ${how}${stderr ? `:\n${stderr.trim()}` : ''}`))
      }
    })
  })
  // Callers may never await it when another stage failed first.
  exited.catch(() => {})
  return { child, exited }
}

/** The first line a tool prints for `--version`. */
export async function toolVersion(command: string): Promise<string> {
  const { stdout } = await promisify(execFile)(command, ['--version'])
  return stdout.trim()
}
