// Running the host's commands (ip, nft, openssl, mount, ...) for the cluster, with their own
// error output in every failure.
import { execFile, execFileSync } from 'node:child_process'

export interface CommandOptions {
  input?: string
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
}

/** Runs a command; resolves its stdout, rejects with the command line and its stderr. */
export function run(
  command: string,
  args: string[],
  options: CommandOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        maxBuffer: 256 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim() || error.message
          reject(new Error(`${command} ${args.join(' ')} failed: ${detail}`))
        } else {
          resolve(stdout)
        }
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

/** The same, synchronously and without throwing: for teardown steps that may find nothing to do. */
export function tryRunSync(command: string, args: string[], input?: string): string | undefined {
  try {
    return execFileSync(command, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
      timeout: 60_000,
    })
  } catch {
    return undefined
  }
}
