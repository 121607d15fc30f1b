// The mails of the password lifecycle: reset, invitation (set a first password), address
// verification, and "you already have an account" for a sign-up with a taken address. Each
// goes through the outbox in the caller's transaction; links carry single-use tokens.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { Config } from '../config.ts'
import { queueMail } from '../mail/commands.ts'
import { readMailSettings } from '../mail/queries.ts'
import { type Block, renderMail } from '../mail/templates.ts'
import { issueAccountToken, TOKEN_LIFETIME_MINUTES } from './account-tokens.ts'

export interface MailedUser {
  id: string
  email: string
  name: string
  /** Null for an account that has never had a password. */
  passwordHash?: string | null
}

const AUTOMATIC = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' }

async function send(
  em: EntityManager,
  config: Config,
  user: MailedUser,
  kind: 'password_reset' | 'invitation' | 'email_verification' | 'account_exists',
  subject: string,
  blocks: Block[],
): Promise<void> {
  const settings = await readMailSettings(em, config)
  const content = renderMail({ subject, blocks }, { signature: settings.signature })
  await queueMail(
    em,
    config,
    {
      kind,
      to: { address: user.email, name: user.name, userId: user.id },
      content,
      headers: AUTOMATIC,
    },
    settings,
  )
}

function lifetime(minutes: number): string {
  return minutes >= 24 * 60 ? `${minutes / (24 * 60)} days` : `${minutes} minutes`
}

/** "Forgot password": a link to choose a new one (or a first one, for a mail customer). */
export async function mailPasswordReset(
  em: EntityManager,
  config: Config,
  user: MailedUser,
  lifetimeMinutes = TOKEN_LIFETIME_MINUTES.password_reset,
): Promise<string> {
  const token = await issueAccountToken(em, user.id, 'password_reset', lifetimeMinutes)
  await send(em, config, user, 'password_reset', 'Reset your Helpdesk password', [
    { kind: 'paragraph', text: `Hello ${user.name},` },
    {
      kind: 'paragraph',
      text: 'Someone asked to reset the password of your Helpdesk account. If it was you, choose a new password here:',
    },
    { kind: 'action', label: 'Choose a new password', url: setPasswordUrl(config, token) },
    {
      kind: 'paragraph',
      text: `The link works once, for ${lifetime(lifetimeMinutes)}. If you did not ask for it, ignore this mail: your password stays as it is.`,
    },
  ])
  return token
}

/** An admin's invitation, or a link for someone who already has a password to set a new one. */
export async function mailInvitation(
  em: EntityManager,
  config: Config,
  user: MailedUser,
): Promise<void> {
  const token = await issueAccountToken(em, user.id, 'invitation')
  const first = !user.passwordHash
  await send(
    em,
    config,
    user,
    'invitation',
    first ? 'You are invited to Helpdesk' : 'Set a new Helpdesk password',
    [
      { kind: 'paragraph', text: `Hello ${user.name},` },
      {
        kind: 'paragraph',
        text: first
          ? `An administrator created a Helpdesk account for ${user.email}. Choose your password to sign in:`
          : 'An administrator sent you a link to set a new password for your Helpdesk account:',
      },
      { kind: 'action', label: 'Set your password', url: setPasswordUrl(config, token) },
      {
        kind: 'paragraph',
        text: `The link works once, for ${lifetime(TOKEN_LIFETIME_MINUTES.invitation)}.`,
      },
    ],
  )
}

/** Self sign-up: prove the address before the account signs in. */
export async function mailVerification(
  em: EntityManager,
  config: Config,
  user: MailedUser,
): Promise<void> {
  const token = await issueAccountToken(em, user.id, 'email_verification')
  await send(em, config, user, 'email_verification', 'Confirm your address for Helpdesk', [
    { kind: 'paragraph', text: `Hello ${user.name},` },
    {
      kind: 'paragraph',
      text: 'Confirm that this is your address to finish creating your Helpdesk account:',
    },
    {
      kind: 'action',
      label: 'Confirm my address',
      url: `${config.publicUrl}/verify-email?token=${token}`,
    },
    {
      kind: 'paragraph',
      text: `The link works for ${lifetime(TOKEN_LIFETIME_MINUTES.email_verification)}. If you did not sign up, ignore this mail.`,
    },
  ])
}

/** A sign-up with an address that has an account: its owner hears, the stranger learns nothing. */
export async function mailAccountExists(
  em: EntityManager,
  config: Config,
  user: MailedUser,
): Promise<void> {
  await send(em, config, user, 'account_exists', 'You already have a Helpdesk account', [
    { kind: 'paragraph', text: `Hello ${user.name},` },
    {
      kind: 'paragraph',
      text: 'Someone tried to sign up for Helpdesk with this address, which already has an account. If it was you, sign in — or reset your password if you forgot it:',
    },
    { kind: 'action', label: 'Sign in', url: `${config.publicUrl}/signin` },
    { kind: 'action', label: 'Reset my password', url: `${config.publicUrl}/forgot-password` },
    { kind: 'paragraph', text: 'If it was not you, ignore this mail.' },
  ])
}

export function setPasswordUrl(config: Config, token: string): string {
  return `${config.publicUrl}/set-password?token=${token}`
}
