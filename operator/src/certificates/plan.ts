import {
  type CertificateFacts,
  createAuthority,
  isSignedBy,
  issueServerCertificate,
  type KeyPairPem,
  readCertificate,
  splitPem,
  type Validity,
} from './x509.ts'

export interface CertificatePolicy {
  /** Lifetime of a leaf certificate. */
  durationMs: number
  /** Renew this long before expiry; by default at two thirds of the lifetime. */
  renewBeforeMs?: number
}

/** A leaf certificate the instance needs, kept in a kubernetes.io/tls Secret. */
export interface LeafRequest {
  secretName: string
  dnsNames: string[]
}

/** Secret contents, decoded: the keys of a kubernetes.io/tls Secret plus the trust bundle. */
export interface TlsSecretData {
  'tls.crt': string
  'tls.key': string
  'ca.crt': string
}

export interface PlannedLeaf extends LeafRequest {
  data: TlsSecretData
  notAfter: Date
  renewalTime: Date
}

export interface CertificatePlan {
  /** The CA Secret: current CA certificate and key, and the trust bundle. */
  authority: TlsSecretData
  /** Every CA certificate clients must trust: the current one and, during a rotation, the previous. */
  bundle: string
  leaves: PlannedLeaf[]
  /** What changed, for Events: "issued the CA", "renewed acme-postgres-tls" … */
  actions: string[]
  /** When the plan must be made again (a renewal or an old CA leaving the bundle). */
  nextCheck: Date
}

export interface CertificateInputs {
  now: Date
  policy: CertificatePolicy
  /** Names the CA: "<namespace>/<name>". */
  instance: string
  authoritySecret: Partial<TlsSecretData> | undefined
  leafSecrets: ReadonlyMap<string, Partial<TlsSecretData>>
  leaves: readonly LeafRequest[]
}

const YEAR_MS = 365 * 24 * 3_600_000
const MIN_AUTHORITY_LIFETIME_MS = 5 * YEAR_MS
/** Certificates start a little in the past, so a node whose clock lags still accepts them. */
const BACKDATE_MS = 5 * 60_000

/**
 * Decides every certificate of one instance from what exists and the clock: issues what is
 * missing, renews what reached its renewal time, rotates the CA at two thirds of its life
 * (keeping the old CA in the trust bundle until it expires, so certificates it signed stay
 * valid), and keeps everything else byte for byte — so a plan made twice changes nothing.
 */
export async function planCertificates(inputs: CertificateInputs): Promise<CertificatePlan> {
  const actions: string[] = []
  const { authority, previousAuthorities } = await planAuthority(inputs, actions)
  const current = readCertificate(authority.certificate) as CertificateFacts
  const bundle = [current.pem, ...previousAuthorities.map((facts) => facts.pem)].join('\n')
  const trusted = [current, ...previousAuthorities]
  const leaves: PlannedLeaf[] = []
  for (const request of inputs.leaves) {
    leaves.push(await planLeaf(inputs, request, authority, trusted, bundle, actions))
  }
  const checkpoints = [
    renewalTime(current, authorityPolicy(inputs.policy)),
    ...previousAuthorities.map((facts) => facts.notAfter),
    ...leaves.map((leaf) => leaf.renewalTime),
  ]
  return {
    authority: {
      'tls.crt': authority.certificate,
      'tls.key': authority.privateKey,
      'ca.crt': bundle,
    },
    bundle,
    leaves,
    actions,
    nextCheck: new Date(Math.min(...checkpoints.map((date) => date.getTime()))),
  }
}

/** When a certificate should be replaced: renewBefore ahead of expiry, or at 2/3 of its life. */
export function renewalTime(certificate: Validity, policy: CertificatePolicy): Date {
  const lifetime = certificate.notAfter.getTime() - certificate.notBefore.getTime()
  const renewAt =
    policy.renewBeforeMs === undefined
      ? certificate.notBefore.getTime() + (lifetime * 2) / 3
      : certificate.notAfter.getTime() - policy.renewBeforeMs
  return new Date(Math.max(certificate.notBefore.getTime(), renewAt))
}

/** The CA lives long enough that the third after its rotation outlasts any leaf it signed. */
function authorityPolicy(policy: CertificatePolicy): CertificatePolicy {
  return { durationMs: Math.max(MIN_AUTHORITY_LIFETIME_MS, 3 * policy.durationMs) }
}

async function planAuthority(
  { now, policy, instance, authoritySecret }: CertificateInputs,
  actions: string[],
): Promise<{ authority: KeyPairPem; previousAuthorities: CertificateFacts[] }> {
  const existing = authoritySecret?.['tls.crt']
    ? readCertificate(authoritySecret['tls.crt'])
    : undefined
  const stillValid = (facts: CertificateFacts) => facts.notAfter.getTime() > now.getTime()
  const bundled = splitPem(authoritySecret?.['ca.crt'] ?? '')
    .map(readCertificate)
    .filter((facts): facts is CertificateFacts => facts !== undefined && stillValid(facts))
  const caPolicy = authorityPolicy(policy)
  if (existing && authoritySecret?.['tls.key'] && now < renewalTime(existing, caPolicy)) {
    return {
      authority: { certificate: existing.pem, privateKey: authoritySecret['tls.key'] },
      previousAuthorities: bundled.filter((facts) => facts.pem !== existing.pem),
    }
  }
  const authority = await createAuthority(
    `${instance} Helpdesk CA`,
    validityFrom(now, caPolicy.durationMs),
  )
  actions.push(existing ? 'rotated the certificate authority' : 'issued the certificate authority')
  const previous = existing && stillValid(existing) ? [existing] : []
  const others = bundled.filter((facts) => facts.pem !== existing?.pem)
  return { authority, previousAuthorities: [...previous, ...others] }
}

async function planLeaf(
  { now, policy, leafSecrets }: CertificateInputs,
  request: LeafRequest,
  authority: KeyPairPem,
  trusted: readonly CertificateFacts[],
  bundle: string,
  actions: string[],
): Promise<PlannedLeaf> {
  const secret = leafSecrets.get(request.secretName)
  const facts = secret?.['tls.crt'] ? readCertificate(secret['tls.crt']) : undefined
  const reason = await reissueReason(now, policy, request, facts, secret, trusted)
  if (!reason && facts && secret?.['tls.key']) {
    return {
      ...request,
      data: { 'tls.crt': facts.pem, 'tls.key': secret['tls.key'], 'ca.crt': bundle },
      notAfter: facts.notAfter,
      renewalTime: renewalTime(facts, policy),
    }
  }
  const authorityExpiry = (readCertificate(authority.certificate) as CertificateFacts).notAfter
  const validity = validityFrom(now, policy.durationMs)
  // A leaf never outlives the CA that signed it.
  if (validity.notAfter > authorityExpiry) validity.notAfter = authorityExpiry
  const issued = await issueServerCertificate(authority, request.dnsNames, validity)
  actions.push(`${reason ?? 'issued'} ${request.secretName}`)
  return {
    ...request,
    data: { 'tls.crt': issued.certificate, 'tls.key': issued.privateKey, 'ca.crt': bundle },
    notAfter: validity.notAfter,
    renewalTime: renewalTime(validity, policy),
  }
}

async function reissueReason(
  now: Date,
  policy: CertificatePolicy,
  request: LeafRequest,
  facts: CertificateFacts | undefined,
  secret: Partial<TlsSecretData> | undefined,
  trusted: readonly CertificateFacts[],
): Promise<string | undefined> {
  if (!facts || !secret?.['tls.key']) return 'issued'
  if (!sameNames(facts.dnsNames, request.dnsNames)) return 'reissued (names changed)'
  if (now >= renewalTime(facts, policy)) return 'renewed'
  for (const authority of trusted) {
    if (await isSignedBy(facts.pem, authority.pem)) return undefined
  }
  return 'reissued (signed by an untrusted CA)'
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const sortedB = [...b].sort()
  return a.length === b.length && [...a].sort().every((name, index) => name === sortedB[index])
}

function validityFrom(now: Date, durationMs: number): Validity {
  return {
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + durationMs),
  }
}
