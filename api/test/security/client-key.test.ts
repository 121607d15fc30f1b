// Rate limits count per client: an IPv4 address, or an IPv6 /64 (the block one host gets,
// whose 2^64 addresses one client can rotate through to dodge a per-address limit).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { clientKey } from '../../src/http/client.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'

describe('clientKey', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(clientKey(address)).toBe(key)
  })
})

describe('the per-client limit', () => {
  let api: TestApp

  beforeAll(async () => {
    api = await startTestApp(
      { ...(await externalEnvironment()), HELPDESK_TRUST_PROXY: 'true' },
      { rateLimits: { global: { points: 4, durationSeconds: 60, whenStoreDown: 'local' } } },
    )
  })
  afterAll(() => api.close())

  const from = (ip: string) =>
    fetch(`${api.url}/api/v1/instance`, { headers: { 'X-Forwarded-For': ip } }).then(
      (r) => r.status,
    )

  it('treats the addresses of one /64 as one client, and another /64 apart', async () => {
    const statuses = []
    for (const suffix of ['1', '2', 'a:b', 'ffff:1', '3'])
      statuses.push(await from(`2001:db8:5:6::${suffix}`))
    expect(statuses).toEqual([200, 200, 200, 200, 429])
    expect(await from('2001:db8:5:7::1')).toBe(200)
  })
})
