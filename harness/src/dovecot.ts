import { appendFileSync, chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs'
import { Socket } from 'node:net'
import { userInfo } from 'node:os'
import path from 'node:path'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import {
  freePort,
  logFile,
  randomSecret,
  type ServiceUser,
  serviceDir,
  uniqueId,
  unprivilegedUser,
} from './session.ts'
import { toolPath } from './tools.ts'

export interface DovecotOptions {
  /** @default a free port */
  port?: number
}

export interface MailboxAccount {
  /** The IMAP login name, also the mailbox's address local part. */
  user: string
  password: string
}

/** Connection facts of an IMAP server (JSON-safe). */
export interface ImapInfo {
  host: string
  port: number
}

export interface DovecotServer extends ImapInfo, ManagedService {
  /** A new IMAP account with an empty INBOX (Dovecot reads the password file on each login). */
  createAccount(prefix?: string): MailboxAccount
}

/**
 * A private Dovecot (Debian's dovecot-imapd) serving IMAP on 127.0.0.1 without TLS: accounts
 * in a password file, Maildirs in a temporary directory. As root its processes drop to
 * Debian's dovecot users and the mail belongs to an unprivileged user; otherwise everything
 * runs as the current user.
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  const dir = serviceDir('dovecot')
  // Dovecot's auth and mail processes run as other users: they must reach into it.
  chmodSync(dir, 0o755)
  const port = options.port ?? (await freePort())
  const passwords = path.join(dir, 'users')
  writeFileSync(passwords, '', { mode: 0o644 })
  const mailOwner = mailUser()
  const mailRoot = path.join(dir, 'mail')
  mkdirSync(mailRoot, { mode: 0o755 })
  if (process.getuid?.() === 0) chownSync(mailRoot, mailOwner.uid, mailOwner.gid)
  const config = path.join(dir, 'dovecot.conf')
  writeFileSync(config, configuration({ dir, port, passwords, mailRoot, mailOwner }))
  const info: ImapInfo = { host: '127.0.0.1', port }
  const service = await manage('dovecot', dir, async () => {
    const child = supervise({
      name: 'dovecot',
      command: toolPath('dovecot'),
      args: ['-F', '-c', config],
      log: logFile('dovecot'),
    })
    await waitUntilReady(child, () => greets(info))
    return child
  })
  return {
    ...info,
    ...service,
    createAccount(prefix = 'mailbox') {
      const account = { user: `${prefix}-${uniqueId()}`, password: randomSecret() }
      appendFileSync(passwords, `${account.user}:{PLAIN}${account.password}::::::\n`)
      return account
    },
  }
}

/** Who owns the mail: Dovecot refuses root as a mail user. */
function mailUser(): ServiceUser {
  const unprivileged = unprivilegedUser()
  if (unprivileged) return unprivileged
  const me = userInfo()
  return { name: me.username, uid: me.uid, gid: me.gid }
}

function configuration(settings: {
  dir: string
  port: number
  passwords: string
  mailRoot: string
  mailOwner: ServiceUser
}): string {
  const { dir, port, passwords, mailRoot, mailOwner } = settings
  const asRoot = process.getuid?.() === 0
  // Without root the master cannot switch users: every process runs as us.
  const users = asRoot
    ? ''
    : `default_login_user = ${mailOwner.name}
default_internal_user = ${mailOwner.name}
default_internal_group = ${userInfo().username === mailOwner.name ? mailOwner.name : mailOwner.gid}
`
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${path.join(dir, 'run')}
state_dir = ${path.join(dir, 'state')}
instance_name = helpdesk-test-${path.basename(dir)}
log_path = /dev/stderr
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
first_valid_gid = 1
${users}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${passwords}
}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${mailRoot}/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`
}

/** The server's IMAP greeting on a raw socket: up without a client library. */
function greets(info: ImapInfo): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')))
    socket.on('error', reject)
    socket.once('data', (chunk) => {
      socket.destroy()
      resolve(chunk.toString().startsWith('* OK'))
    })
    socket.connect(info.port, info.host)
  })
}
