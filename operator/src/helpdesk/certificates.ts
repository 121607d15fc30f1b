import type { HelpdeskSpec } from '@helpdesk/cdk8s'
import { parseGoDuration } from '../certificates/duration.ts'
import {
  type CertificatePolicy,
  type LeafRequest,
  planCertificates,
  renewalTime,
  type TlsSecretData,
} from '../certificates/plan.ts'
import { readCertificate } from '../certificates/x509.ts'
import type { OperatorContext } from '../context.ts'
import { type Condition, type ConditionUpdate, findCondition } from '../kube/conditions.ts'
import type { KubeObject } from '../kube/objects.ts'
import { sha256Hex } from '../kube/semantic.ts'
import { timestamp } from '../kube/time.ts'
import { InvalidSpecError } from './invalid-spec.ts'
import { readLive } from './live.ts'

/** On every pod template: a new hash rolls the pods onto renewed certificates. */
export const CERTIFICATES_HASH_ANNOTATION = 'helpdesk.dev/certificates-sha256'

export interface CertificateStatus {
  secretName: string
  notAfter: string
  renewalTime: string
}

export interface CertificateReport {
  /** The CA and leaf Secrets to apply. */
  objects: KubeObject[]
  podTemplateAnnotations: Record<string, string>
  certificates: CertificateStatus[]
  condition: Omit<ConditionUpdate, 'type' | 'observedGeneration'>
  /** What was issued, renewed or rotated, for Events. */
  actions: string[]
  /** When certificates must be looked at again. */
  nextCheck?: Date
}

/** A TLS Secret the instance uses, and who writes it. */
interface TlsSecret extends LeafRequest {
  writer: 'operator' | 'certManager' | 'user'
}

interface Findings {
  status?: CertificateStatus
  /** The certificate's PEM, for the pod-template hash. */
  pem?: string
  problem?: { reason: string; message: string }
}

const TLS_SECRET_TYPE = 'kubernetes.io/tls'

/**
 * The certificates of one Helpdesk. The operator's own CA signs what the operator writes
 * (the public host in mode `operator`; Postgres and Redis unless cert-manager issues
 * everything); cert-manager Certificates (mode `certManager`) are part of the rendered
 * objects and only reported on here, as is the Secret given in mode `secret`. Every pod
 * template gets a hash of all certificates, so pods roll when one changes.
 */
export async function certificatesFor(
  context: OperatorContext,
  helpdesk: KubeObject,
  spec: HelpdeskSpec,
): Promise<CertificateReport> {
  const policy = certificatePolicy(spec)
  const secrets = tlsSecrets(helpdesk, spec)
  const leaves = secrets.filter((secret) => secret.writer === 'operator')
  const issued = leaves.length > 0 ? await issue(context, helpdesk, policy, leaves) : undefined
  const others: Findings[] = []
  for (const secret of secrets.filter((entry) => entry.writer !== 'operator')) {
    others.push(
      secret.writer === 'certManager'
        ? await certManagerCertificate(context, helpdesk, secret)
        : await userCertificate(context, helpdesk, secret, policy),
    )
  }
  const findings = [...(issued?.findings ?? []), ...others]
  const pems = findings.map((finding) => finding.pem).filter((pem) => pem !== undefined)
  const problem = findings.find((finding) => finding.problem)?.problem
  return {
    objects: issued?.objects ?? [],
    podTemplateAnnotations:
      pems.length > 0
        ? {
            [CERTIFICATES_HASH_ANNOTATION]: sha256Hex(
              [issued?.bundle ?? '', ...pems].join('\n'),
            ).slice(0, 32),
          }
        : {},
    certificates: findings
      .map((finding) => finding.status)
      .filter((status) => status !== undefined),
    condition: problem
      ? { status: 'False', ...problem }
      : secrets.length > 0
        ? {
            status: 'True',
            reason: 'CertificatesValid',
            message: `${secrets.length} certificates valid`,
          }
        : {
            status: 'True',
            reason: 'NoCertificatesManaged',
            message: 'no TLS Secrets to manage: the Gateway terminates TLS and internal TLS is off',
          },
    actions: issued?.actions ?? [],
    nextCheck: issued?.nextCheck,
  }
}

export const authoritySecretName = (instance: string) => `${instance}-ca`

function certificatePolicy(spec: HelpdeskSpec): CertificatePolicy {
  const durationMs = parseGoDuration(spec.certificates.duration)
  const renewBeforeMs = parseGoDuration(spec.certificates.renewBefore)
  if (renewBeforeMs >= durationMs) {
    throw new InvalidSpecError(
      `certificates.renewBefore (${spec.certificates.renewBefore}) must be shorter than certificates.duration (${spec.certificates.duration})`,
    )
  }
  return { durationMs, renewBeforeMs }
}

/** The DNS names clients use for an in-cluster Service (as the cert-manager Certificates carry them). */
function serviceNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`]
}

function tlsSecrets(helpdesk: KubeObject, spec: HelpdeskSpec): TlsSecret[] {
  const { name, namespace = '' } = helpdesk.metadata
  const { mode } = spec.ingress.tls
  const secrets: TlsSecret[] = []
  if (!spec.ingress.gateway) {
    secrets.push({
      secretName: spec.ingress.tls.secretName ?? `${name}-tls`,
      dnsNames: [spec.host],
      writer: mode === 'secret' ? 'user' : mode,
    })
  }
  for (const component of ['postgres', 'redis'] as const) {
    const managed = (component === 'postgres' ? spec.database : spec.redis).managed
    if (managed?.tls.enabled) {
      secrets.push({
        secretName: managed.tls.secretName ?? `${name}-${component}-tls`,
        dnsNames: serviceNames(`${name}-${component}`, namespace),
        writer: mode === 'certManager' ? 'certManager' : 'operator',
      })
    }
  }
  return secrets
}

async function issue(
  context: OperatorContext,
  helpdesk: KubeObject,
  policy: CertificatePolicy,
  leaves: readonly LeafRequest[],
) {
  const { name, namespace = '' } = helpdesk.metadata
  const decoded = async (secretName: string) =>
    decodeSecret(
      await readLive(context, { apiVersion: 'v1', kind: 'Secret', namespace, name: secretName }),
    )
  const leafSecrets = new Map<string, Partial<TlsSecretData>>()
  for (const leaf of leaves) {
    const data = await decoded(leaf.secretName)
    if (data) leafSecrets.set(leaf.secretName, data)
  }
  const plan = await planCertificates({
    now: context.clock.now(),
    policy,
    instance: `${namespace}/${name}`,
    authoritySecret: await decoded(authoritySecretName(name)),
    leafSecrets,
    leaves: leaves.map(({ secretName, dnsNames }) => ({ secretName, dnsNames })),
  })
  return {
    objects: [
      tlsSecret(authoritySecretName(name), plan.authority, 'Opaque'),
      ...plan.leaves.map((leaf) => tlsSecret(leaf.secretName, leaf.data, TLS_SECRET_TYPE)),
    ],
    bundle: plan.bundle,
    findings: plan.leaves.map(
      (leaf): Findings => ({
        pem: leaf.data['tls.crt'],
        status: {
          secretName: leaf.secretName,
          notAfter: timestamp(leaf.notAfter),
          renewalTime: timestamp(leaf.renewalTime),
        },
      }),
    ),
    actions: plan.actions,
    nextCheck: plan.nextCheck,
  }
}

interface CertManagerStatus {
  conditions?: Condition[]
  notAfter?: string
  renewalTime?: string
}

/** What cert-manager reports on the Certificate it keeps for `secret`. */
async function certManagerCertificate(
  context: OperatorContext,
  helpdesk: KubeObject,
  secret: TlsSecret,
): Promise<Findings> {
  const { namespace } = helpdesk.metadata
  const certificate = await readLive(context, {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    namespace,
    name: secret.secretName,
  })
  const status = (certificate?.status ?? {}) as CertManagerStatus
  const ready = findCondition(status.conditions, 'Ready')
  if (ready?.status !== 'True' || !status.notAfter) {
    return {
      problem: {
        reason: 'CertificateNotIssued',
        message: `cert-manager has not issued Certificate ${secret.secretName}${ready?.message ? `: ${ready.message}` : ''}`,
      },
    }
  }
  // cert-manager's Secret carries none of the operator's labels: it is not cached.
  const data = decodeSecret(
    await context.client.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace,
      name: secret.secretName,
    }),
  )
  return {
    pem: data?.['tls.crt'],
    status: {
      secretName: secret.secretName,
      notAfter: status.notAfter,
      renewalTime: status.renewalTime ?? status.notAfter,
    },
  }
}

/** In mode `secret` the operator only reads the given Secret and reports on it. */
async function userCertificate(
  context: OperatorContext,
  helpdesk: KubeObject,
  secret: TlsSecret,
  policy: CertificatePolicy,
): Promise<Findings> {
  const live = await context.client.get({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: helpdesk.metadata.namespace,
    name: secret.secretName,
  })
  const certificate = readCertificate(decodeSecret(live)?.['tls.crt'] ?? '')
  if (!certificate) {
    return {
      problem: live
        ? {
            reason: 'SecretInvalid',
            message: `Secret ${secret.secretName} has no PEM certificate under tls.crt`,
          }
        : {
            reason: 'SecretNotFound',
            message: `Secret ${secret.secretName} (ingress.tls.secretName) does not exist`,
          },
    }
  }
  const renewal = renewalTime(certificate, policy)
  const status = {
    secretName: secret.secretName,
    notAfter: timestamp(certificate.notAfter),
    renewalTime: timestamp(renewal),
  }
  if (context.clock.now() >= renewal) {
    return {
      pem: certificate.pem,
      status,
      problem: {
        reason: 'CertificateExpiring',
        message: `the certificate in Secret ${secret.secretName} expires at ${status.notAfter}: replace it`,
      },
    }
  }
  return { pem: certificate.pem, status }
}

function decodeSecret(secret: KubeObject | null | undefined): Partial<TlsSecretData> | undefined {
  const data = secret?.data as Record<string, string> | undefined
  if (!data) return undefined
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  )
}

function tlsSecret(name: string, data: TlsSecretData, type: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    type,
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  }
}
