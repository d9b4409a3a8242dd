import { createHash } from 'node:crypto'
import type { CosignCandidate } from './signatures.js'

/** The `dev.sigstore.cosign/bundle` annotation: Rekor's answer for the signature's entry. */
interface RekorAnnotation {
  readonly SignedEntryTimestamp?: unknown
  readonly Payload?: {
    readonly body?: unknown
    readonly integratedTime?: unknown
    readonly logIndex?: unknown
    readonly logID?: unknown
  }
}

/** A JSON scalar as text ('' for anything else). */
const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : ''

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g

/**
 * A keyless simple-signing signature of the .sig tag as the Sigstore bundle (v0.1: a signed entry
 * timestamp, no inclusion proof) that carries the same material, so that @sigstore/verify checks it
 * as cosign does: the certificate chain to Fulcio, its SCT, the Rekor entry's signed timestamp and
 * body, the signature over the payload. Without the Rekor annotation the bundle has no log entry,
 * which the verifier then refuses.
 */
export function legacyBundle(candidate: Extract<CosignCandidate, { kind: 'simple-signing' }>): unknown {
  const certificates = [candidate.certificate ?? '', candidate.chain ?? ''].flatMap((pem) =>
    [...pem.matchAll(PEM_CERTIFICATE)].map((match) => ({ rawBytes: (match[1] ?? '').replace(/\s+/g, '') })),
  )
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      x509CertificateChain: { certificates },
      tlogEntries: candidate.rekorBundle === undefined ? [] : [tlogEntry(candidate.rekorBundle)],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    messageSignature: {
      messageDigest: {
        algorithm: 'SHA2_256',
        digest: createHash('sha256').update(candidate.payload).digest('base64'),
      },
      signature: candidate.signature,
    },
  }
}

function tlogEntry(annotation: string): unknown {
  let rekor: RekorAnnotation
  let kind: { kind?: unknown; apiVersion?: unknown } = {}
  try {
    rekor = JSON.parse(annotation) as RekorAnnotation
    kind = JSON.parse(Buffer.from(text(rekor.Payload?.body), 'base64').toString('utf8')) as typeof kind
  } catch {
    rekor = {}
  }
  const payload = rekor.Payload ?? {}
  return {
    logIndex: text(payload.logIndex),
    logId: { keyId: Buffer.from(text(payload.logID), 'hex').toString('base64') },
    kindVersion: { kind: text(kind.kind), version: text(kind.apiVersion) },
    integratedTime: text(payload.integratedTime),
    inclusionPromise: { signedEntryTimestamp: text(rekor.SignedEntryTimestamp) },
    canonicalizedBody: text(payload.body),
  }
}
