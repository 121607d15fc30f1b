// Which addresses the API takes: the ones mail systems deliver to and JSON Schema's `email`
// format accepts (the fuzz tier checks the API against that format).
import { describe, expect, it } from '@jest/globals'
import { Email } from '../../src/accounts/inputs.ts'

describe('Email', () => {
  it.each([
    'grace@example.com',
    "o'brien+helpdesk@mail.example.co",
    'a_b-c.d@sub-domain.example.org',
    `${'l'.repeat(64)}@example.com`,
    `x@${'d'.repeat(63)}.example`,
  ])('accepts %s', (address) => {
    expect(Email.safeParse(address).success).toBe(true)
  })

  it.each([
    ['a label ending in a hyphen', 'user@h-.example.com'],
    ['a label starting with a hyphen', 'user@-h.example.com'],
    ['a label over 63 characters', `x@${'d'.repeat(64)}.example`],
    ['a local part over 64 characters', `${'l'.repeat(65)}@example.com`],
    ['a doubled dot', 'a..b@example.com'],
    ['a leading dot', '.a@example.com'],
    ['a dot before the @', 'a.@example.com'],
    ['no top-level domain', 'user@localhost'],
    ['a numeric top-level domain', 'user@example.123'],
  ])('refuses %s', (_reason, address) => {
    expect(Email.safeParse(address).success).toBe(false)
  })

  it('stores addresses lower-cased', () => {
    expect(Email.parse('Grace.Hopper@Example.COM')).toBe('grace.hopper@example.com')
  })
})
