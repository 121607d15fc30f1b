// argon2id hashing, and the upgrade of stale hashes at sign-in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { User } from '../../src/accounts/entities.ts'
import {
  checkPassword,
  hashPassword,
  PASSWORD_HASH_PARAMETERS,
} from '../../src/accounts/passwords.ts'
import { createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

describe('password hashing', () => {
  it('uses argon2id with the configured parameters and a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery staple')
    const second = await hashPassword('correct horse battery staple')
    const { memoryCost, timeCost, parallelism } = PASSWORD_HASH_PARAMETERS
    expect(first).toMatch(
      new RegExp(`^\\$argon2id\\$v=19\\$m=${memoryCost},t=${timeCost},p=${parallelism}\\$`),
    )
    expect(second).not.toBe(first)
  })

  it('verifies, and offers a new hash only when the parameters changed', async () => {
    const stored = await hashPassword('correct horse battery staple')
    expect(await checkPassword(stored, 'correct horse battery staple')).toEqual({ valid: true })
    expect(await checkPassword(stored, 'wrong horse')).toEqual({ valid: false })
    const stronger = {
      ...PASSWORD_HASH_PARAMETERS,
      timeCost: PASSWORD_HASH_PARAMETERS.timeCost + 1,
    }
    const upgraded = await checkPassword(stored, 'correct horse battery staple', stronger)
    expect(upgraded.valid).toBe(true)
    expect(upgraded.rehashed).toMatch(`t=${stronger.timeCost},`)
  })
})

describe('sign-in with a stale hash', () => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(await externalEnvironment())
  })
  afterAll(() => api.close())

  it('stores a hash with the current parameters once the password checked out', async () => {
    const user = await createTestUser(api, { role: 'customer' })
    const weak = { memoryCost: 8192, timeCost: 1, parallelism: 1 }
    const em = api.app.services.orm.em.fork()
    await em.nativeUpdate(
      User,
      { id: user.id },
      { passwordHash: await hashPassword(user.password, weak) },
    )
    await signIn(api, user)
    const stored = await em.fork().findOneOrFail(User, { id: user.id })
    expect(stored.passwordHash).toMatch(`m=${PASSWORD_HASH_PARAMETERS.memoryCost},`)
    expect(await checkPassword(stored.passwordHash as string, user.password)).toEqual({
      valid: true,
    })
  })
})
