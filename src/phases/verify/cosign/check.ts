import crypto from 'node:crypto'
import { bundleFromJSON } from '@sigstore/bundle'
import { X509Certificate } from '@sigstore/core'
import { toSignedEntity, Verifier } from '@sigstore/verify'
import { readCertificate, verifyBundle, type BuildCertificate } from '../bundle.js'
import type { TrustedInstance } from '../trust.js'
import { dsseEnvelope, parseStatement, preAuthEncoding } from './dsse.js'
import { legacyBundle } from './legacy-bundle.js'
import type { CosignCandidate } from './signatures.js'

/** What a cosign signature must show (the plan's cosign inputs, the key read). */
export type CosignPolicy =
  | { readonly kind: 'key'; readonly key: crypto.KeyObject; readonly fingerprint: string }
  | { readonly kind: 'keyless'; readonly identity: string; readonly issuer: string }

/** What one signature showed. */
export type SignatureOutcome =
  | { readonly kind: 'accepted'; readonly where: string; readonly signer: string }
  | {
      readonly kind: 'refused'
      readonly where: string
      readonly reason: string
      readonly isOtherDigest: boolean
    }

/** cosign's simple-signing payload type, and the predicate of a cosign v3 image signature. */
const SIMPLE_SIGNING_TYPE = 'cosign container image signature'
const SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1'

class Refused extends Error {
  constructor(
    message: string,
    readonly isOtherDigest = false,
  ) {
    super(message)
  }
}

/** Verifies one signature as `cosign verify` does: its signature, signer and the digest it signs. */
export function checkSignature(
  candidate: CosignCandidate,
  policy: CosignPolicy,
  trust: readonly TrustedInstance[],
  digest: string,
): SignatureOutcome {
  try {
    const signer =
      candidate.kind === 'simple-signing'
        ? checkSimpleSigning(candidate, policy, trust, digest)
        : checkBundle(candidate.bundle, policy, trust, digest)
    return { kind: 'accepted', where: candidate.where, signer }
  } catch (error) {
    if (!(error instanceof Refused)) throw error
    return {
      kind: 'refused',
      where: candidate.where,
      reason: error.message,
      isOtherDigest: error.isOtherDigest,
    }
  }
}

type SimpleSigning = Extract<CosignCandidate, { kind: 'simple-signing' }>

function checkSimpleSigning(
  candidate: SimpleSigning,
  policy: CosignPolicy,
  trust: readonly TrustedInstance[],
  digest: string,
): string {
  let signer: string
  if (policy.kind === 'key') {
    if (!verifyWithKey(policy.key, candidate.payload, Buffer.from(candidate.signature, 'base64')))
      throw new Refused(`the signature does not verify with cosign-public-key (${policy.fingerprint})`)
    signer = `key ${policy.fingerprint}`
  } else {
    if (candidate.certificate === undefined)
      throw new Refused('it is signed by a key, not a keyless certificate (give cosign-public-key)')
    const certificate = verifyKeyless(
      trust,
      (material, thresholds) => {
        const bundle = bundleFromJSON(legacyBundle(candidate))
        new Verifier(material, thresholds).verify(toSignedEntity(bundle, candidate.payload))
      },
      candidate.certificate,
    )
    signer = checkSigner(certificate, policy)
  }
  const signed = signedDigest(candidate.payload)
  if (signed !== digest) throw new Refused(`it signs ${signed ?? 'no image digest'}, not ${digest}`, true)
  return signer
}

function checkBundle(
  json: unknown,
  policy: CosignPolicy,
  trust: readonly TrustedInstance[],
  digest: string,
): string {
  let signer: string
  let statement: { predicateType: string; subjects: readonly { sha256: string | undefined }[] }
  if (policy.kind === 'key') {
    const envelope = dsseEnvelope(json)
    if (envelope === undefined) throw new Refused('the bundle holds no DSSE envelope')
    const pae = preAuthEncoding(envelope.payloadType, envelope.payload)
    if (!envelope.signatures.some((sig) => verifyWithKey(policy.key, pae, sig)))
      throw new Refused(
        `the bundle's signature does not verify with cosign-public-key (${policy.fingerprint})`,
      )
    const parsed = parseStatement(envelope.payload)
    if (parsed === undefined) throw new Refused('the DSSE payload is not an in-toto statement')
    statement = parsed
    signer = `key ${policy.fingerprint}`
  } else {
    let verified: ReturnType<typeof verifyBundle> | undefined
    const certificate = verifyKeyless(trust, (material, thresholds) => {
      verified = verifyBundle(json, material, thresholds)
    })
    if (verified === undefined) throw new Refused('the bundle did not verify')
    statement = verified.statement
    signer = checkSigner(certificate ?? verified.certificate, policy)
  }
  if (statement.predicateType !== SIGN_PREDICATE)
    throw new Refused(
      `the bundle is an attestation of ${statement.predicateType || 'no predicate'}, not a cosign signature`,
    )
  const hex = digest.replace(/^sha256:/, '')
  if (!statement.subjects.some((subject) => subject.sha256 === hex)) {
    const found = statement.subjects.map((subject) => `sha256:${subject.sha256 ?? '?'}`).join(', ')
    throw new Refused(`it signs ${found || 'no image digest'}, not ${digest}`, true)
  }
  return signer
}

/** Runs `verify` with each trusted instance until one accepts; the signing certificate's facts. */
function verifyKeyless(
  trust: readonly TrustedInstance[],
  verify: (material: TrustedInstance['material'], thresholds: TrustedInstance['thresholds']) => void,
  certificatePem?: string,
): BuildCertificate | undefined {
  const reasons: string[] = []
  for (const instance of trust) {
    try {
      verify(instance.material, instance.thresholds)
      return certificatePem === undefined ? undefined : readCertificate(parsePem(certificatePem))
    } catch (error) {
      const code = (error as { code?: unknown }).code
      const message = error instanceof Error ? error.message : String(error)
      reasons.push(
        `${trust.length > 1 ? `${instance.name}: ` : ''}${typeof code === 'string' ? `${code}: ` : ''}${message}`,
      )
    }
  }
  throw new Refused(
    `its certificate or transparency-log entry does not verify: ${reasons.join('; ') || 'no trusted Sigstore instance'}`,
  )
}

function checkSigner(
  certificate: BuildCertificate | undefined,
  policy: Extract<CosignPolicy, { kind: 'keyless' }>,
): string {
  const identity = certificate?.subjectAlternativeName
  const issuer = certificate?.issuer
  const wrong: string[] = []
  if (identity !== policy.identity)
    wrong.push(`identity: expected ${policy.identity}, found ${identity ?? 'none'}`)
  if (issuer !== policy.issuer) wrong.push(`issuer: expected ${policy.issuer}, found ${issuer ?? 'none'}`)
  if (wrong.length > 0) throw new Refused(`signed by another identity (${wrong.join('; ')})`)
  return identity ?? ''
}

function verifyWithKey(key: crypto.KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return crypto.verify(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, signature)
  } catch {
    return false
  }
}

function parsePem(pem: string): X509Certificate {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1] ?? ''
  return X509Certificate.parse(Buffer.from(body.replace(/\s+/g, ''), 'base64'))
}

/** critical.image.docker-manifest-digest of a simple-signing payload whose type is an image signature. */
function signedDigest(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as {
      critical?: { type?: unknown; image?: { 'docker-manifest-digest'?: unknown } }
    }
    const { type, image } = parsed.critical ?? {}
    if (type !== SIMPLE_SIGNING_TYPE && type !== SIGN_PREDICATE) return undefined
    const digest = image?.['docker-manifest-digest']
    return typeof digest === 'string' ? digest : undefined
  } catch {
    return undefined
  }
}
