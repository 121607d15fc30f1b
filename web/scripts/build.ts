// The production build, for tests, benchmarks and the e2e stack: Vite in its own process,
// exactly as `npm run build` runs it.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const webDir = fileURLToPath(new URL('..', import.meta.url))

/** Builds the app into `outDir` (emptied first) and returns it. */
export async function buildWebApp(outDir: string): Promise<string> {
  const vite = path.join(webDir, '..', 'node_modules', 'vite', 'bin', 'vite.js')
  await run(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: webDir,
    },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(`vite build failed: ${error.stderr || error.message}`)
  })
  return outDir
}
