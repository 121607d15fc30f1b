// A page rendered for a signed-in person, and the ticket the ticket-page tests share.
import { render } from '@testing-library/react'
import type { ReactNode } from 'react'
import type { Ticket, User } from '../../src/api/types.ts'
import { type Session, SessionContext } from '../../src/hooks/session.tsx'

/** A user of `role` whose id, name and address derive from `id`. */
export function person(id: string, role: User['role']): User {
  return {
    id,
    email: `${id}@example.com`,
    name: id,
    role,
    mfaEnabled: false,
    mfaRequired: false,
    createdAt: '2026-03-01T09:00:00Z',
  }
}

export function signedIn(user: User, page: ReactNode) {
  const session: Session = { user, replaceUser: () => {}, signOut: async () => {} }
  return render(<SessionContext.Provider value={session}>{page}</SessionContext.Provider>)
}

/** Ticket t1, requested by Carla Customer (c1), open. */
export const TICKET: Ticket = {
  id: 't1',
  number: 7,
  subject: 'Printer offline',
  status: 'open',
  priority: 'normal',
  requester: { id: 'c1', name: 'Carla Customer' },
  assignee: null,
  team: null,
  tags: [],
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T11:00:00Z',
  firstResponseDueAt: null,
  resolutionDueAt: null,
  slaBreached: false,
}
