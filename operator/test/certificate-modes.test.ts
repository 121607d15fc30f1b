// TLS modes besides `operator`: cert-manager Certificates (the test plays cert-manager) and
// a Secret the user provides.

import { kubeRequest, testServices } from '@helpdesk/harness'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createAuthority, issueServerCertificate } from '../src/certificates/x509.ts'
import { CERTIFICATES_HASH_ANNOTATION } from '../src/helpdesk/certificates.ts'
import type { KubeObject } from '../src/kube/objects.ts'
import type { Operator } from '../src/operator.ts'
import { adminClient, eventually, field } from './support/kube.ts'
import { installCrds, startTestOperator } from './support/operator-under-test.ts'
import { conditionOf } from './support/play.ts'

const DAY = 24 * 3_600_000
const admin = adminClient()
let namespace: string
let operator: Operator

/** cert-manager's Certificate API (its CRD, without schema): what the cluster would serve. */
async function installCertManagerCrd() {
  const cluster = testServices.kubernetes()
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'certificates.cert-manager.io' },
    spec: {
      group: 'cert-manager.io',
      scope: 'Namespaced',
      names: {
        kind: 'Certificate',
        plural: 'certificates',
        singular: 'certificate',
        listKind: 'CertificateList',
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  }
  const created = await kubeRequest(
    cluster,
    'POST',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    crd,
  )
  if (created.status !== 201 && created.status !== 409)
    throw new Error(JSON.stringify(created.body))
  await eventually(
    'the Certificate API to be served',
    async () =>
      (
        await kubeRequest(
          cluster,
          'GET',
          `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates`,
        )
      ).status === 200,
  )
}

beforeAll(async () => {
  await installCrds()
  namespace = await testServices.kubernetes().createNamespace('tls-modes')
  await installCertManagerCrd()
  operator = await startTestOperator({ namespaces: [namespace] })
}, 90_000)

afterAll(async () => {
  await operator?.stop()
  admin.close()
})

const helpdesk = (name: string) => ({
  apiVersion: 'helpdesk.dev/v1alpha1',
  kind: 'Helpdesk',
  namespace,
  name,
})

async function issueInto(secretName: string, dnsNames: string[]) {
  const now = new Date()
  const ca = await createAuthority('test CA', {
    notBefore: now,
    notAfter: new Date(now.getTime() + 365 * DAY),
  })
  const leaf = await issueServerCertificate(ca, dnsNames, {
    notBefore: now,
    notAfter: new Date(now.getTime() + 90 * DAY),
  })
  const base64 = (text: string) => Buffer.from(text).toString('base64')
  await admin.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': base64(leaf.certificate),
      'tls.key': base64(leaf.privateKey),
      'ca.crt': base64(ca.certificate),
    },
  })
  return new Date(now.getTime() + 90 * DAY)
}

describe('TLS mode certManager', () => {
  it('applies cert-manager Certificates, issues nothing itself, and reports what cert-manager issued', async () => {
    await admin.create({
      ...helpdesk('cm'),
      metadata: { name: 'cm', namespace },
      spec: {
        host: 'cm.example',
        ingress: { tls: { mode: 'certManager', issuerRef: { name: 'letsencrypt' } } },
      },
    })
    const certificates = await eventually('the Certificates', async () => {
      const list = await admin.list('cert-manager.io/v1', 'Certificate', { namespace })
      return list.items.length === 3 ? (list.items as KubeObject[]) : undefined
    })
    expect(certificates.map((certificate) => certificate.metadata.name).sort()).toEqual([
      'cm-postgres-tls',
      'cm-redis-tls',
      'cm-tls',
    ])
    expect(
      field(
        certificates.find((c) => c.metadata.name === 'cm-tls'),
        'spec',
        'issuerRef',
        'name',
      ),
    ).toBe('letsencrypt')
    await conditionOf(admin, helpdesk('cm'), 'CertificatesReady', {
      status: 'False',
      reason: 'CertificateNotIssued',
    })
    expect(
      await admin.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: 'cm-ca' }),
    ).toBeUndefined()

    for (const certificate of certificates) {
      const notAfter = await issueInto(
        certificate.metadata.name,
        field<string[]>(certificate, 'spec', 'dnsNames') ?? [],
      )
      await admin.patch(
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          namespace,
          name: certificate.metadata.name,
        },
        'merge',
        {
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'Ready',
                message: 'issued',
                lastTransitionTime: new Date().toISOString(),
              },
            ],
            notAfter: notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
            renewalTime: new Date(notAfter.getTime() - 30 * DAY)
              .toISOString()
              .replace(/\.\d{3}Z$/, 'Z'),
          },
        },
        'status',
      )
    }
    const live = await conditionOf(admin, helpdesk('cm'), 'CertificatesReady', { status: 'True' })
    expect(field<unknown[]>(live, 'status', 'certificates')).toHaveLength(3)
    await eventually('pods that roll with the certificates', async () =>
      field(
        await admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'cm-api' }),
        'spec',
        'template',
        'metadata',
        'annotations',
        CERTIFICATES_HASH_ANNOTATION,
      ),
    )
  })
})

describe('TLS mode secret', () => {
  it('reports a missing Secret, then the certificate the user put there', async () => {
    await admin.create({
      ...helpdesk('own'),
      metadata: { name: 'own', namespace },
      spec: { host: 'own.example', ingress: { tls: { mode: 'secret' } } },
    })
    const missing = await conditionOf(admin, helpdesk('own'), 'CertificatesReady', {
      status: 'False',
      reason: 'SecretNotFound',
    })
    expect(missing.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
    })
    // Internal TLS is still the operator's.
    expect(
      await admin.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: 'own-postgres-tls' }),
    ).toBeDefined()

    const notAfter = await issueInto('own-tls', ['own.example'])
    // The user's Secret is not watched: the next resync (or any change) picks it up.
    operator.resync()
    const live = await conditionOf(admin, helpdesk('own'), 'CertificatesReady', { status: 'True' })
    const entries =
      field<{ secretName: string; notAfter: string }[]>(live, 'status', 'certificates') ?? []
    expect(entries.find((entry) => entry.secretName === 'own-tls')?.notAfter).toBe(
      notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    )
  })
})
