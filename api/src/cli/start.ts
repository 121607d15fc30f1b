// `make run` (root `npm run start`): builds the web app when it is out of date, then serves
// everything from one process with embedded defaults, data in <repo>/data. With arguments it
// runs that `helpdesk` command on the same data instead (`make seed`: `start.ts seed ...`).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const web = path.join(repo, 'web')
const webDist = path.join(web, 'dist')

/** Newest modification time under `target`, skipping build output and dependencies. */
function newest(target: string): number {
  if (!existsSync(target)) return 0
  const info = statSync(target)
  if (!info.isDirectory()) return info.mtimeMs
  return readdirSync(target)
    .filter((entry) => !['node_modules', 'dist', '.artifacts'].includes(entry))
    .reduce((latest, entry) => Math.max(latest, newest(path.join(target, entry))), info.mtimeMs)
}

function buildWebIfStale(): void {
  const manifest = path.join(web, 'package.json')
  if (!existsSync(manifest)) return
  const scripts = (
    JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }
  ).scripts
  if (!scripts?.build) return
  const built = path.join(webDist, 'index.html')
  if (existsSync(built) && statSync(built).mtimeMs >= newest(web)) return
  process.stdout.write('Building the web app...\n')
  const result = spawnSync('npm', ['run', '--silent', 'build', '-w', '@helpdesk/web'], {
    cwd: repo,
    stdio: 'inherit',
  })
  if (result.status !== 0) {
    process.stderr.write('helpdesk: the web app failed to build (see above)\n')
    process.exit(1)
  }
}

const requested = process.argv.slice(2)
const command = requested.length > 0 ? requested : ['serve', '--demo-data']
if (command[0] === 'serve') {
  buildWebIfStale()
  if (existsSync(path.join(webDist, 'index.html'))) process.env.HELPDESK_WEB_DIR ??= webDist
}
process.env.HELPDESK_DATA_DIR ??= path.join(repo, 'data')
process.env.HELPDESK_BOOTSTRAP_ADMIN_EMAIL ??= 'admin@helpdesk.localhost'
process.argv.splice(2, process.argv.length, ...command)
await import('./helpdesk.ts')
