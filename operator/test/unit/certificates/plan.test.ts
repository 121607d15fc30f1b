import { X509Certificate } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import tls from 'node:tls'
import { describe, expect, it } from '@jest/globals'
import {
  type CertificateInputs,
  type CertificatePlan,
  type CertificatePolicy,
  planCertificates,
} from '../../../src/certificates/plan.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const policy: CertificatePolicy = { durationMs: 90 * DAY }
const leaves = [
  {
    secretName: 'acme-postgres-tls',
    dnsNames: [
      'acme-postgres',
      'acme-postgres.support.svc',
      'acme-postgres.support.svc.cluster.local',
    ],
  },
  { secretName: 'acme-tls', dnsNames: ['help.acme.example'] },
]

function inputs(now: Date, previous?: CertificatePlan, overrides: Partial<CertificateInputs> = {}) {
  return {
    now,
    policy,
    instance: 'support/acme',
    authoritySecret: previous?.authority,
    leafSecrets: new Map(previous?.leaves.map((leaf) => [leaf.secretName, leaf.data]) ?? []),
    leaves,
    ...overrides,
  }
}

const leaf = (plan: CertificatePlan, name: string) =>
  plan.leaves.find((entry) => entry.secretName === name)!

/** Checked with Node's own X.509 code, not the library that issued the certificates. */
function verifiesAgainstBundle(certificatePem: string, bundle: string, at: Date): boolean {
  const certificate = new X509Certificate(certificatePem)
  const within = (c: X509Certificate) => new Date(c.validFrom) <= at && at <= new Date(c.validTo)
  if (!within(certificate)) return false
  return bundle
    .split(/(?<=-----END CERTIFICATE-----)\n?/)
    .filter((pem) => pem.includes('BEGIN CERTIFICATE'))
    .map((pem) => new X509Certificate(pem))
    .some((ca) => within(ca) && certificate.checkIssued(ca) && certificate.verify(ca.publicKey))
}

describe('planCertificates', () => {
  it('issues a CA and leaves that a real TLS client accepts for their names', async () => {
    const plan = await planCertificates(inputs(new Date()))
    expect(plan.actions).toEqual([
      'issued the certificate authority',
      'issued acme-postgres-tls',
      'issued acme-tls',
    ])
    const server = tls.createServer({
      cert: leaf(plan, 'acme-tls').data['tls.crt'],
      key: leaf(plan, 'acme-tls').data['tls.key'],
    })
    server.on('secureConnection', (socket) => socket.end())
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const { port } = server.address() as AddressInfo
    const connect = (servername: string) =>
      new Promise<void>((resolve, reject) => {
        const socket = tls.connect({ port, host: '127.0.0.1', servername, ca: plan.bundle }, () => {
          socket.end()
          resolve()
        })
        socket.on('error', reject)
      })
    try {
      await connect('help.acme.example')
      await expect(connect('other.example')).rejects.toThrow(/does not match|altnames/i)
    } finally {
      server.close()
    }
  })

  it('changes nothing when planned again before any renewal is due', async () => {
    const start = new Date('2030-01-01T00:00:00Z')
    const first = await planCertificates(inputs(start))
    const second = await planCertificates(inputs(new Date(start.getTime() + DAY), first))
    expect(second.actions).toEqual([])
    expect(second.authority).toEqual(first.authority)
    expect(second.leaves.map((entry) => entry.data)).toEqual(
      first.leaves.map((entry) => entry.data),
    )
  })

  it('renews a leaf at two thirds of its lifetime, not a moment earlier', async () => {
    const start = new Date('2030-01-01T00:00:00Z')
    const first = await planCertificates(inputs(start))
    const renewal = leaf(first, 'acme-tls').renewalTime
    expect(renewal.getTime()).toBeCloseTo(start.getTime() + 60 * DAY, -6)
    expect(first.nextCheck).toEqual(renewal)

    const before = await planCertificates(inputs(new Date(renewal.getTime() - 1000), first))
    expect(before.actions).toEqual([])
    const at = await planCertificates(inputs(renewal, first))
    expect(at.actions).toEqual(['renewed acme-postgres-tls', 'renewed acme-tls'])
    const renewed = new X509Certificate(leaf(at, 'acme-tls').data['tls.crt'])
    expect(new Date(renewed.validTo).getTime()).toBeCloseTo(renewal.getTime() + 90 * DAY, -4)
  })

  it('renews renewBefore ahead of expiry when that is set', async () => {
    const start = new Date('2030-01-01T00:00:00Z')
    const withRenewBefore = { durationMs: 90 * DAY, renewBeforeMs: 10 * DAY }
    const first = await planCertificates(inputs(start, undefined, { policy: withRenewBefore }))
    const expected = leaf(first, 'acme-tls').notAfter.getTime() - 10 * DAY
    expect(leaf(first, 'acme-tls').renewalTime.getTime()).toBe(expected)
    const just = await planCertificates(
      inputs(new Date(expected - 1000), first, { policy: withRenewBefore }),
    )
    expect(just.actions).toEqual([])
    const due = await planCertificates(
      inputs(new Date(expected), first, { policy: withRenewBefore }),
    )
    expect(due.actions).toContain('renewed acme-tls')
  })

  it('reissues a leaf whose names changed, and only that one', async () => {
    const start = new Date('2030-01-01T00:00:00Z')
    const first = await planCertificates(inputs(start))
    const moved = [leaves[0]!, { secretName: 'acme-tls', dnsNames: ['support.acme.example'] }]
    const second = await planCertificates(inputs(start, first, { leaves: moved }))
    expect(second.actions).toEqual(['reissued (names changed) acme-tls'])
    expect(new X509Certificate(leaf(second, 'acme-tls').data['tls.crt']).subjectAltName).toBe(
      'DNS:support.acme.example',
    )
  })

  it('rotates the CA with an overlap in which old and new leaves are both trusted', async () => {
    const start = new Date('2030-01-01T00:00:00Z')
    const first = await planCertificates(inputs(start))
    const oldCa = new X509Certificate(first.authority['tls.crt'])
    const caLifetime = new Date(oldCa.validTo).getTime() - new Date(oldCa.validFrom).getTime()
    const rotation = new Date(new Date(oldCa.validFrom).getTime() + (caLifetime * 2) / 3 + 1000)

    // A leaf the old CA signed shortly before the rotation.
    const lastOldLeaf = await planCertificates(
      inputs(new Date(rotation.getTime() - DAY), first, {
        leafSecrets: new Map(),
      }),
    )
    const rotated = await planCertificates(inputs(rotation, lastOldLeaf))
    expect(rotated.actions).toEqual(['rotated the certificate authority'])
    const bundle = rotated.bundle
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(bundle.startsWith(rotated.authority['tls.crt'])).toBe(true)
    const oldLeaf = leaf(rotated, 'acme-tls').data['tls.crt']
    expect(new X509Certificate(oldLeaf).checkIssued(oldCa)).toBe(true)
    expect(verifiesAgainstBundle(oldLeaf, bundle, rotation)).toBe(true)

    // At the old leaf's renewal the new CA signs, and the old CA is still in the bundle.
    const renewalAt = leaf(rotated, 'acme-tls').renewalTime
    const renewed = await planCertificates(inputs(renewalAt, rotated))
    const newLeaf = leaf(renewed, 'acme-tls').data['tls.crt']
    expect(verifiesAgainstBundle(newLeaf, renewed.bundle, renewalAt)).toBe(true)
    expect(new X509Certificate(newLeaf).checkIssued(oldCa)).toBe(false)
    expect(renewed.bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)

    // Once the old CA expires it leaves the bundle.
    const afterOldExpiry = new Date(new Date(oldCa.validTo).getTime() + 1000)
    let plan = renewed
    for (let now = renewalAt; now < afterOldExpiry; ) {
      now = new Date(Math.min(plan.nextCheck.getTime(), afterOldExpiry.getTime()))
      plan = await planCertificates(inputs(now, plan))
    }
    expect(plan.bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(1)
    for (const entry of plan.leaves) {
      expect(verifiesAgainstBundle(entry.data['tls.crt'], plan.bundle, afterOldExpiry)).toBe(true)
    }
  })

  it('replaces a leaf that no trusted CA signed', async () => {
    const start = new Date('2030-01-01T00:00:00Z')
    const ours = await planCertificates(inputs(start))
    const foreign = await planCertificates(inputs(start, undefined, { instance: 'other/x' }))
    const mixed = await planCertificates(
      inputs(start, ours, {
        leafSecrets: new Map([['acme-tls', leaf(foreign, 'acme-tls').data]]),
      }),
    )
    expect(mixed.actions).toEqual([
      'issued acme-postgres-tls',
      'reissued (signed by an untrusted CA) acme-tls',
    ])
  })
})
