// An external database needs an application keyring (HELPDESK_APP_KEYS_DIR): benchmarks make
// a throwaway one with a single key, removed when the benchmark's process exits.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export function benchAppKeysDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-bench-keys-'))
  writeFileSync(path.join(dir, '2026-12-07'), randomBytes(32).toString('base64'))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}
