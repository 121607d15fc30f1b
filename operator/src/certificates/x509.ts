// tsyringe, which @peculiar/x509 uses internally, needs the Reflect metadata API loaded first.
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto)

/** ECDSA P-256: accepted by browsers, OpenSSL (Postgres, Redis) and Go, and fast to generate. */
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/** A certificate and its private key, PEM-encoded. */
export interface KeyPairPem {
  certificate: string
  privateKey: string
}

export interface Validity {
  notBefore: Date
  notAfter: Date
}

/** A self-signed CA that may sign leaf certificates only (path length 0). */
export async function createAuthority(commonName: string, validity: Validity): Promise<KeyPairPem> {
  const keys = await generateKeys()
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }, { O: ['helpdesk-operator'] }],
    ...validity,
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certificate: certificate.toString('pem'), privateKey: await exportPrivateKey(keys) }
}

/** A TLS server certificate for `dnsNames`, signed by `authority`. */
export async function issueServerCertificate(
  authority: KeyPairPem,
  dnsNames: readonly string[],
  validity: Validity,
): Promise<KeyPairPem> {
  const [commonName] = dnsNames
  if (!commonName) throw new Error('a server certificate needs at least one DNS name')
  const keys = await generateKeys()
  const issuer = new x509.X509Certificate(authority.certificate)
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [commonName] }],
    issuer: issuer.subjectName,
    ...validity,
    publicKey: keys.publicKey,
    signingKey: await importPrivateKey(authority.privateKey),
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns', value }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey),
    ],
  })
  return { certificate: certificate.toString('pem'), privateKey: await exportPrivateKey(keys) }
}

/** What the operator needs to know about a certificate it finds in a Secret. */
export interface CertificateFacts extends Validity {
  pem: string
  dnsNames: string[]
}

/**
 * Parsing and signature checks cost milliseconds each and every reconcile repeats them on
 * the same certificates: the results are kept by content (bounded; cleared when full).
 */
const MEMO_LIMIT = 2_000
const parsed = new Map<string, CertificateFacts | undefined>()
const signatures = new Map<string, boolean>()

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(key, value)
  return value
}

/** The facts of the first certificate in `pem`, or undefined when it is not one. */
export function readCertificate(pem: string): CertificateFacts | undefined {
  if (parsed.has(pem)) return parsed.get(pem)
  return remember(parsed, pem, parseCertificate(pem))
}

function parseCertificate(pem: string): CertificateFacts | undefined {
  try {
    const [first] = splitPem(pem)
    if (!first) return undefined
    const certificate = new x509.X509Certificate(first)
    const san = certificate.getExtension(x509.SubjectAlternativeNameExtension)
    const dnsNames = (san?.names.items ?? [])
      .filter((name) => name.type === 'dns')
      .map((name) => name.value)
    return {
      pem: first,
      notBefore: certificate.notBefore,
      notAfter: certificate.notAfter,
      dnsNames,
    }
  } catch {
    return undefined
  }
}

/** True when `certificatePem` carries a valid signature of the CA in `authorityPem`. */
export async function isSignedBy(certificatePem: string, authorityPem: string): Promise<boolean> {
  const key = `${certificatePem}\n${authorityPem}`
  const known = signatures.get(key)
  if (known !== undefined) return known
  return remember(signatures, key, await verifySignature(certificatePem, authorityPem))
}

async function verifySignature(certificatePem: string, authorityPem: string): Promise<boolean> {
  try {
    const certificate = new x509.X509Certificate(certificatePem)
    const authority = new x509.X509Certificate(authorityPem)
    if (certificate.issuer !== authority.subject) return false
    return await certificate.verify({ publicKey: authority.publicKey, signatureOnly: true })
  } catch {
    return false
  }
}

/** Every PEM certificate block in a bundle, in order. */
export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, [
    'sign',
    'verify',
  ]) as Promise<webcrypto.CryptoKeyPair>
}

async function exportPrivateKey(keys: webcrypto.CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)
  return x509.PemConverter.encode(der, 'PRIVATE KEY')
}

function importPrivateKey(pem: string): Promise<webcrypto.CryptoKey> {
  const [der] = x509.PemConverter.decode(pem)
  if (!der) throw new Error('the CA private key is not PEM')
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign'])
}

/** 128 random bits, positive as RFC 5280 requires. */
function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] as number) & 0x7f
  return Buffer.from(bytes).toString('hex')
}
