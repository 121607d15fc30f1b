import { createContext, useContext } from 'react'
import type { User } from '../api/types.ts'

export interface Session {
  user: User
  /** After a change to the signed-in account (e.g. MFA turned on). */
  replaceUser(user: User): void
  /** Ends this session; `everywhere` ends all of them and revokes every API token too. */
  signOut(options?: { everywhere?: boolean }): Promise<void>
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession() outside a signed-in page')
  return session
}

/** Admins, and people an admin required it of, must enrol MFA before they can work. */
export function mustEnrolMfa(user: User): boolean {
  return !user.mfaEnabled && (user.role === 'admin' || user.mfaRequired)
}

export function homePath(user: User): string {
  return user.role === 'customer' ? '/requests' : '/tickets'
}

/** Only paths of this app are followed after sign-in, never another site ("//evil.example"). */
export function safeNextPath(next: string | null): string | undefined {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return
  return next
}
