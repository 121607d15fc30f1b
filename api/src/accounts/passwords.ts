import { hash, parseOptions, verify } from '@node-rs/argon2'

/**
 * argon2id with OWASP's first recommendation (19 MiB, 2 passes, 1 lane): about 30 ms here, so
 * a guess is expensive offline while a login stays cheap. Raising these makes every stored hash
 * "stale": it is upgraded at that user's next successful login.
 */
export const PASSWORD_HASH_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }
const ARGON2ID = 2

/** Bounds on what we hash: long passphrases welcome, megabyte "passwords" are not. */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

export function hashPassword(
  password: string,
  parameters = PASSWORD_HASH_PARAMETERS,
): Promise<string> {
  return hash(password, { ...parameters, algorithm: ARGON2ID })
}

export interface PasswordCheck {
  valid: boolean
  /** Set when valid but hashed with other parameters: store this instead. */
  rehashed?: string
}

export async function checkPassword(
  stored: string,
  password: string,
  parameters = PASSWORD_HASH_PARAMETERS,
): Promise<PasswordCheck> {
  if (!(await verify(stored, password))) return { valid: false }
  if (!needsRehash(stored, parameters)) return { valid: true }
  return { valid: true, rehashed: await hashPassword(password, parameters) }
}

function needsRehash(stored: string, parameters: typeof PASSWORD_HASH_PARAMETERS): boolean {
  const current = parseOptions(stored)
  return (
    current.algorithm !== ARGON2ID ||
    current.memoryCost !== parameters.memoryCost ||
    current.timeCost !== parameters.timeCost ||
    current.parallelism !== parameters.parallelism
  )
}

let decoy: Promise<string> | undefined

/**
 * Spends the time of a real check when there is no account (or no password) to check, so the
 * answer's timing does not tell whether an email is registered.
 */
export async function checkAgainstDecoy(password: string): Promise<void> {
  decoy ??= hashPassword('decoy password that no account has')
  await verify(await decoy, password)
}
