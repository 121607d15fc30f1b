// `helpdesk users reset-password EMAIL`: a way back in for a locked-out admin (or anyone), from
// a shell on the server. Prints a one-time link to choose a new password, or with
// --random-password sets and prints a new random one; either way the user's sessions and API
// tokens end once the password changes, and the audit log records it.
import { randomBytes } from 'node:crypto'
import { createApp } from '../app.ts'
import { recordAudit, systemOrigin } from '../audit/commands.ts'
import { type Command, EXIT, flags, UsageError } from '../cli/command.ts'
import { loadConfig } from '../config.ts'
import { setPasswordUrl } from './account-mail.ts'
import { issueAccountToken, voidPasswordTokens } from './account-tokens.ts'
import { revokeAllTokens } from './credentials.ts'
import { Email } from './inputs.ts'
import { hashPassword } from './passwords.ts'
import { findUserByEmail } from './queries.ts'

/** The printed link lasts longer than a mailed one: the admin may have to pass it on. */
const CLI_LINK_MINUTES = 60

const USAGE = `helpdesk users reset-password EMAIL                    print a one-time link (valid ${CLI_LINK_MINUTES} minutes) to choose a new password
helpdesk users reset-password EMAIL --random-password  set a new random password and print it`

export const usersCommand: Command = {
  summary: 'reset a user’s password from the server (a locked-out admin)',
  usage: USAGE,
  async run(argv) {
    const [action, email, ...rest] = argv
    if (action !== 'reset-password') {
      throw new UsageError(`expected reset-password, got ${action ?? 'nothing'}`)
    }
    const parsedEmail = Email.safeParse(email ?? '')
    if (!parsedEmail.success)
      throw new UsageError(`expected an email address, got ${email ?? 'nothing'}`)
    const { 'random-password': random } = flags(rest, { 'random-password': { type: 'boolean' } })
    const config = loadConfig()
    const app = await createApp(config, { migrate: false, jobs: false })
    try {
      const em = app.services.orm.em.fork()
      const user = await findUserByEmail(em, parsedEmail.data)
      if (!user) {
        process.stderr.write(`no user with the address ${parsedEmail.data}\n`)
        return EXIT.failure
      }
      if (!random) {
        const token = await em.transactional(async (tx) => {
          const issued = await issueAccountToken(tx, user.id, 'password_reset', CLI_LINK_MINUTES)
          await recordAudit(tx, systemOrigin(), {
            action: 'auth.password_reset_link_printed',
            targetType: 'user',
            targetId: user.id,
          })
          return issued
        })
        process.stdout.write(
          `${JSON.stringify({ email: user.email, link: setPasswordUrl(config, token), expiresInMinutes: CLI_LINK_MINUTES })}\n`,
        )
        return EXIT.ok
      }
      const password = randomBytes(18).toString('base64url')
      const passwordHash = await hashPassword(password)
      await em.transactional(async (tx) => {
        await tx.execute(
          'update users set password_hash = ?, email_verified_at = coalesce(email_verified_at, now()) where id = ?',
          [passwordHash, user.id],
        )
        await voidPasswordTokens(tx, user.id)
        await recordAudit(tx, systemOrigin(), {
          action: 'user.password_set',
          targetType: 'user',
          targetId: user.id,
          details: { via: 'cli' },
        })
        await revokeAllTokens(tx, user.id, systemOrigin(), 'password_set')
      })
      await app.services.sessions.destroyForUser(user.id)
      process.stdout.write(`${JSON.stringify({ email: user.email, password })}\n`)
      return EXIT.ok
    } finally {
      await app.close()
    }
  },
}
