// Certificate issuance, renewal and CA rotation through the running operator, with time
// moved by a manual clock instead of waited for.
import { X509Certificate } from 'node:crypto'
import { testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CERTIFICATES_HASH_ANNOTATION } from '../src/helpdesk/certificates.ts'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually, field } from './support/kube.ts'
import { ManualClock } from './support/manual-clock.ts'
import { reconciles, settled } from './support/metrics.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'

const DAY = 24 * 3_600_000
const admin = adminClient()
const clock = new ManualClock(new Date())
let namespace: string
let operator: Operator

beforeAll(async () => {
  await installCrds()
  namespace = await testServices.kubernetes().createNamespace('certificates')
  operator = await startTestOperator({ namespaces: [namespace], clock })
  await admin.create({
    apiVersion: 'helpdesk.dev/v1alpha1',
    kind: 'Helpdesk',
    metadata: { name: 'acme', namespace },
    spec: { host: 'help.acme.example', certificates: { duration: '2160h', renewBefore: '720h' } },
  })
  await eventually('the certificates', () => secret('acme-postgres-tls'))
  await settled(operator)
}, 90_000)

afterAll(async () => {
  await operator?.stop()
  admin.close()
})

async function secret(name: string): Promise<Record<string, string> | undefined> {
  const live = await admin.get({ apiVersion: 'v1', kind: 'Secret', namespace, name })
  const data = live?.data as Record<string, string> | undefined
  return (
    data &&
    Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
    )
  )
}

async function podTemplateHash(
  kind: 'Deployment' | 'StatefulSet',
  name: string,
): Promise<string | undefined> {
  const live = await admin.get({ apiVersion: 'apps/v1', kind, namespace, name })
  return field(live, 'spec', 'template', 'metadata', 'annotations', CERTIFICATES_HASH_ANNOTATION)
}

/** Moves the clock and lets the operator look at everything again. */
async function advanceAndReconcile(milliseconds: number): Promise<void> {
  clock.advance(milliseconds)
  const before = await reconciles(operator, 'helpdesk')
  operator.resync()
  await eventually(
    'a reconcile at the new time',
    async () => (await reconciles(operator, 'helpdesk')) > before,
  )
  await settled(operator)
}

const verifies = (leafPem: string, bundle: string, at: Date) => {
  const leaf = new X509Certificate(leafPem)
  const inTime = (certificate: X509Certificate) =>
    new Date(certificate.validFrom) <= at && at <= new Date(certificate.validTo)
  return (
    inTime(leaf) &&
    (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])
      .map((pem) => new X509Certificate(pem))
      .some((ca) => inTime(ca) && leaf.checkIssued(ca) && leaf.verify(ca.publicKey))
  )
}

describe('operator-managed certificates', () => {
  it('issues leaves with the right names, signed by the Helpdesk CA, and reports them', async () => {
    const postgres = (await secret('acme-postgres-tls')) as Record<string, string>
    const leaf = new X509Certificate(postgres['tls.crt'] as string)
    expect(leaf.subjectAltName).toContain(`DNS:acme-postgres.${namespace}.svc`)
    expect(verifies(postgres['tls.crt'] as string, postgres['ca.crt'] as string, clock.now())).toBe(
      true,
    )
    const ingress = (await secret('acme-tls')) as Record<string, string>
    expect(new X509Certificate(ingress['tls.crt'] as string).subjectAltName).toBe(
      'DNS:help.acme.example',
    )
    const helpdesk = (await admin.get({
      apiVersion: 'helpdesk.dev/v1alpha1',
      kind: 'Helpdesk',
      namespace,
      name: 'acme',
    })) as KubeObject & {
      status: { certificates: { secretName: string; notAfter: string; renewalTime: string }[] }
    }
    expect(helpdesk.status.certificates.map((entry) => entry.secretName).sort()).toEqual([
      'acme-postgres-tls',
      'acme-redis-tls',
      'acme-tls',
    ])
    expect(await podTemplateHash('Deployment', 'acme-api')).toMatch(/^[0-9a-f]{32}$/)
    // Postgres reloads a renewed certificate in place (its sidecar): its pod never rolls for one.
    expect(await podTemplateHash('StatefulSet', 'acme-postgres')).toBeUndefined()
  })

  it('renews at the threshold, not before, and rolls the API and web pods', async () => {
    const before = await secret('acme-postgres-tls')
    const hash = await podTemplateHash('Deployment', 'acme-api')
    await advanceAndReconcile(60 * DAY - 3_600_000)
    expect(await secret('acme-postgres-tls')).toEqual(before)
    expect(await podTemplateHash('Deployment', 'acme-api')).toBe(hash)

    await advanceAndReconcile(3_600_000 + 60_000)
    const renewed = (await secret('acme-postgres-tls')) as Record<string, string>
    expect(renewed['tls.crt']).not.toBe(before?.['tls.crt'])
    expect(
      new Date(new X509Certificate(renewed['tls.crt'] as string).validFrom).getTime(),
    ).toBeGreaterThan(Date.now() + 59 * DAY)
    expect(await podTemplateHash('Deployment', 'acme-api')).not.toBe(hash)
    expect(await podTemplateHash('Deployment', 'acme-web')).toBe(
      await podTemplateHash('Deployment', 'acme-api'),
    )
  })

  it('rotates the CA with an overlap in which the leaves it signed stay valid', async () => {
    const authority = (await secret('acme-ca')) as Record<string, string>
    const oldCa = new X509Certificate(authority['tls.crt'] as string)
    const rotationAt =
      new Date(oldCa.validFrom).getTime() +
      ((new Date(oldCa.validTo).getTime() - new Date(oldCa.validFrom).getTime()) * 2) / 3
    // A day before the rotation every leaf is renewed, by the old CA.
    await advanceAndReconcile(rotationAt - DAY - clock.now().getTime())
    expect((await secret('acme-ca'))?.['tls.crt']).toBe(authority['tls.crt'])
    await advanceAndReconcile(DAY + 1_000)
    const rotated = (await secret('acme-ca')) as Record<string, string>
    expect(rotated['tls.crt']).not.toBe(authority['tls.crt'])
    expect(rotated['ca.crt']?.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    const leaf = (await secret('acme-postgres-tls')) as Record<string, string>
    expect(leaf['ca.crt']).toBe(rotated['ca.crt'])
    expect(new X509Certificate(leaf['tls.crt'] as string).checkIssued(oldCa)).toBe(true)
    expect(verifies(leaf['tls.crt'] as string, rotated['ca.crt'] as string, clock.now())).toBe(true)
  }, 240_000)
})
