/** @jest-environment jsdom */
// Forms and the API's validation answers: each problem is said once, at its field, in the
// API's words as a sentence (never "invalid body" beside it), and a new submit clears the
// notice of an earlier success.
import { afterEach, describe, expect, it } from '@jest/globals'
import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { UsersPage } from '../../src/admin/UsersPage.tsx'
import type { User } from '../../src/api/types.ts'
import { SignUpPage } from '../../src/auth/AuthPages.tsx'
import { type Session, SessionContext } from '../../src/hooks/session.tsx'
import { fakeApi, problem } from '../support/fake-api.ts'

const tooShort = problem(400, 'validation_error', 'invalid body', [
  { path: 'body.password', message: 'at least 12 characters' },
])

let restore = () => {}
afterEach(() => restore())

describe('sign-up', () => {
  it('shows a refused password once, at the password field', async () => {
    const api = fakeApi(({ path }) => {
      if (path === '/settings/public') {
        return { status: 200, body: { selfSignupEnabled: true, maxAttachmentBytes: 1024 } }
      }
      if (path === '/auth/register') return tooShort
      return undefined
    })
    restore = api.restore
    const user = userEvent.setup()
    render(<SignUpPage />)
    await user.type(await screen.findByLabelText('Name'), 'Carla')
    await user.type(screen.getByLabelText('Email'), 'carla@example.com')
    await user.type(screen.getByLabelText('Password'), 'short')
    await user.click(screen.getByRole('button', { name: 'Create account' }))

    const alerts = await screen.findAllByRole('alert')
    expect(alerts.map((alert) => alert.textContent)).toEqual(['At least 12 characters.'])
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true')
    expect(screen.queryByText(/invalid body/)).toBeNull()
  })

  it('names the field of a problem no field of the form shows', async () => {
    const api = fakeApi(({ path }) => {
      if (path === '/settings/public') {
        return { status: 200, body: { selfSignupEnabled: true, maxAttachmentBytes: 1024 } }
      }
      if (path === '/auth/register') {
        return problem(400, 'validation_error', 'invalid body', [
          { path: 'body.locale', message: 'unknown locale' },
        ])
      }
      return undefined
    })
    restore = api.restore
    const user = userEvent.setup()
    render(<SignUpPage />)
    await user.type(await screen.findByLabelText('Password'), 'long enough password')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Locale: unknown locale.')
  })
})

describe('adding a user', () => {
  const admin: User = {
    id: 'a1',
    email: 'admin@example.com',
    name: 'Admin',
    role: 'admin',
    mfaEnabled: true,
    mfaRequired: false,
    createdAt: '2026-03-01T09:00:00Z',
  }

  it('clears the last success when a new attempt starts, and shows its error at the field', async () => {
    let created = 0
    const api = fakeApi(({ method, path, body }) => {
      if (path.startsWith('/users') && method === 'GET') {
        return { status: 200, body: { items: [admin], nextCursor: null } }
      }
      if (path === '/users' && method === 'POST') {
        const { password, ...person } = body as { password?: string; name: string }
        if (password !== undefined && password.length < 12) return tooShort
        created += 1
        return { status: 201, body: { ...admin, ...person, id: `u${created}`, mfaEnabled: false } }
      }
      if (path.endsWith('/invitation')) return { status: 202, body: { status: 'sent' } }
      return undefined
    })
    restore = api.restore
    const user = userEvent.setup()
    const session: Session = { user: admin, replaceUser: () => {}, signOut: async () => {} }
    render(
      <SessionContext.Provider value={session}>
        <UsersPage />
      </SessionContext.Provider>,
    )
    await user.click(await screen.findByText('Add a user'))
    const form = screen.getByRole('button', { name: 'Add user' }).closest('form') as HTMLElement
    await user.type(within(form).getByLabelText('Name'), 'Ada Agent')
    await user.type(within(form).getByLabelText('Email'), 'ada@example.com')
    await user.click(screen.getByRole('button', { name: 'Add user' }))
    await screen.findByText('Ada Agent was added as agent.')

    await user.type(within(form).getByLabelText('Name'), 'Bo Agent')
    await user.type(within(form).getByLabelText('Email'), 'bo@example.com')
    await user.type(within(form).getByLabelText('Initial password (optional)'), 'short')
    await user.click(screen.getByRole('button', { name: 'Add user' }))

    const alerts = await screen.findAllByRole('alert')
    expect(alerts.map((alert) => alert.textContent)).toEqual(['At least 12 characters.'])
    expect(screen.queryByText('Ada Agent was added as agent.')).toBeNull()
    expect(screen.queryByText(/invalid body/)).toBeNull()
  })
})
