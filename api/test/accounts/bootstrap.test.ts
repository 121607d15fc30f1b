// The first admin: created once even when several pods start at the same moment.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { bootstrapAdmin } from '../../src/accounts/commands.ts'
import { User } from '../../src/accounts/entities.ts'
import { anonymous } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

let api: TestApp

beforeAll(async () => {
  api = await startTestApp(await externalEnvironment())
})
afterAll(() => api.close())

describe('bootstrapping the first admin', () => {
  it('creates exactly one admin when five processes race, then reports it exists', async () => {
    const { orm } = api.app.services
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        bootstrapAdmin(orm.em.fork(), {
          email: `First.Admin${index}@Example.test`,
          password: 'the first admin password',
        }),
      ),
    )
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1)
    const users = await orm.em.fork().find(User, {})
    expect(users).toHaveLength(1)
    expect(users[0]).toMatchObject({ role: 'admin', mfaEnabled: false })
    const login = await anonymous(api).post('/auth/login', {
      email: users[0]?.email,
      password: 'the first admin password',
    })
    expect(login.status).toBe(200)
    expect(
      await bootstrapAdmin(orm.em.fork(), {
        email: 'late@example.test',
        password: 'another long password',
      }),
    ).toBe('exists')
  })

  it('refuses a password too short to be an admin’s', async () => {
    await expect(
      bootstrapAdmin(api.app.services.orm.em.fork(), {
        email: 'a@example.test',
        password: 'short',
      }),
    ).rejects.toThrow('at least 12 characters')
  })
})
