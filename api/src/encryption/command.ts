// `helpdesk app-keys status|reencrypt`: which application keys the stored secrets need, and
// moving them all to the newest key (rotation: add a key, reencrypt, then remove the old one).
import { type Command, EXIT, flags, UsageError } from '../cli/command.ts'
import { loadConfig } from '../config.ts'
import { withDatabase } from '../db/database.ts'
import { openAppKeys } from './app-keys.ts'
import { keyProblems, reencrypt, sealedUsage } from './sealed-columns.ts'

const USAGE = `helpdesk app-keys status      which keys the stored secrets need; exit 1 when one is missing
helpdesk app-keys reencrypt   seal every secret with the newest key in HELPDESK_APP_KEYS_DIR`

export const appKeysCommand: Command = {
  summary: 'check the application keys, or re-encrypt every secret with the newest one',
  usage: USAGE,
  async run(argv) {
    const [action, ...rest] = argv
    flags(rest)
    if (action !== 'status' && action !== 'reencrypt') {
      throw new UsageError(`expected status or reencrypt, got ${action ?? 'nothing'}`)
    }
    const config = loadConfig()
    const sealer = await openAppKeys(config.appKeys)
    return withDatabase(config.database, async (em) => {
      if (action === 'reencrypt') {
        const result = await reencrypt(em, sealer)
        print({ currentKey: sealer.currentKeyId, ...result, ...(await sealedUsage(em)) })
        return result.unreadable.length === 0 ? EXIT.ok : EXIT.failure
      }
      const problems = await keyProblems(em, sealer)
      print({
        keys: sealer.keyIds,
        currentKey: sealer.currentKeyId,
        ...(await sealedUsage(em)),
        problems,
      })
      return problems.length === 0 ? EXIT.ok : EXIT.failure
    })
  },
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`)
}
