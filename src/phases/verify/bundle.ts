import { bundleFromJSON } from '@sigstore/bundle'
import { ASN1Obj, X509Certificate } from '@sigstore/core'
import { toSignedEntity, Verifier, type TrustMaterial } from '@sigstore/verify'

/**
 * What a verified bundle proves: the in-toto statement its DSSE envelope carries and the facts
 * Fulcio wrote into the signing certificate from the build's GitHub ID token.
 * https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md
 */
export interface SignedBuild {
  readonly statement: InTotoStatement
  readonly certificate: BuildCertificate
}

interface InTotoStatement {
  readonly predicateType: string
  readonly subjects: readonly { readonly name: string; readonly sha256: string | undefined }[]
}

export interface BuildCertificate {
  /** The certificate's identity: `https://github.com/<owner>/<repo>/.github/workflows/build.yml@refs/heads/main`. */
  readonly subjectAlternativeName: string | undefined
  readonly issuer: string | undefined
  /** 1.3.6.1.4.1.57264.1.12: `https://github.com/<owner>/<repo>`. */
  readonly sourceRepositoryUri: string | undefined
  /** 1.3.6.1.4.1.57264.1.13: the commit built. */
  readonly sourceRepositoryDigest: string | undefined
  /** 1.3.6.1.4.1.57264.1.14: `refs/heads/main`. */
  readonly sourceRepositoryRef: string | undefined
  /** 1.3.6.1.4.1.57264.1.9: the workflow that signed (a reusable one when the build called it). */
  readonly buildSignerUri: string | undefined
  /** 1.3.6.1.4.1.57264.1.21: the run's page. */
  readonly runInvocationUri: string | undefined
}

const OIDS = {
  issuer: '1.3.6.1.4.1.57264.1.8',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
} as const

/** Why a bundle did not verify, in the words of the Sigstore verifier (its error code and message). */
export class BundleRefused extends Error {
  override readonly name = 'BundleRefused'
}

/**
 * Verifies one Sigstore bundle as `gh attestation verify` does, with `@sigstore/verify`: the
 * certificate chains to a trusted Fulcio CA (and was valid when the log or a timestamp authority saw
 * it), the transparency-log entry and the certificate's SCT are signed by trusted logs, and the DSSE
 * signature is the certificate's. Returns the statement and the certificate's facts; throws
 * BundleRefused otherwise.
 */
export function verifyBundle(json: unknown, trust: TrustMaterial, thresholds: Thresholds): SignedBuild {
  let leaf: X509Certificate
  let payload: Buffer
  try {
    const bundle = bundleFromJSON(json)
    const { content, verificationMaterial } = bundle
    if (content.$case !== 'dsseEnvelope') throw new Error('the bundle holds no DSSE envelope')
    new Verifier(trust, thresholds).verify(toSignedEntity(bundle))
    const material = verificationMaterial.content
    const der =
      material.$case === 'certificate'
        ? material.certificate.rawBytes
        : material.$case === 'x509CertificateChain'
          ? material.x509CertificateChain.certificates[0]?.rawBytes
          : undefined
    if (der === undefined) throw new Error('the bundle is signed by a key, not a Fulcio certificate')
    leaf = X509Certificate.parse(Buffer.from(der))
    payload = content.dsseEnvelope.payload
  } catch (error) {
    throw new BundleRefused(describeRefusal(error), { cause: error })
  }
  return { statement: parseStatement(payload), certificate: readCertificate(leaf) }
}

export interface Thresholds {
  readonly tlogThreshold: number
  readonly ctlogThreshold: number
  readonly timestampThreshold: number
}

function describeRefusal(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message
}

export function readCertificate(cert: X509Certificate): BuildCertificate {
  const read = (oid: string): string | undefined => extensionText(cert, oid)
  return {
    subjectAlternativeName: cert.extSubjectAltName?.uri ?? cert.extSubjectAltName?.rfc822Name,
    issuer: read(OIDS.issuer),
    sourceRepositoryUri: read(OIDS.sourceRepositoryUri),
    sourceRepositoryDigest: read(OIDS.sourceRepositoryDigest),
    sourceRepositoryRef: read(OIDS.sourceRepositoryRef),
    buildSignerUri: read(OIDS.buildSignerUri),
    runInvocationUri: read(OIDS.runInvocationUri),
  }
}

// Fulcio's extensions from 1.3.6.1.4.1.57264.1.8 on hold a DER UTF8String (tag 12).
const UTF8_STRING_TAG = 0x0c

function extensionText(cert: X509Certificate, oid: string): string | undefined {
  const raw = cert.extension(oid)?.value
  if (raw === undefined) return undefined
  if (raw[0] !== UTF8_STRING_TAG) return raw.toString('utf8')
  try {
    return ASN1Obj.parseBuffer(Buffer.from(raw)).value.toString('utf8')
  } catch {
    return undefined
  }
}

/** The in-toto statement of a DSSE payload (https://github.com/in-toto/attestation/tree/main/spec/v1). */
function parseStatement(payload: Buffer): InTotoStatement {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload.toString('utf8'))
  } catch {
    throw new BundleRefused('the DSSE payload is not JSON: not an in-toto statement')
  }
  const statement = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    predicateType?: unknown
    subject?: unknown
  }
  const subjects = Array.isArray(statement.subject) ? (statement.subject as unknown[]) : []
  return {
    predicateType: typeof statement.predicateType === 'string' ? statement.predicateType : '',
    subjects: subjects.map((subject) => {
      const { name, digest } = (subject ?? {}) as { name?: unknown; digest?: { sha256?: unknown } }
      return {
        name: typeof name === 'string' ? name : '',
        sha256: typeof digest?.sha256 === 'string' ? digest.sha256 : undefined,
      }
    }),
  }
}
