import crypto from 'node:crypto'
import { checkSignature, type CosignPolicy } from '../../../../src/phases/verify/cosign/check.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
const policy: CosignPolicy = { kind: 'key', key: publicKey, fingerprint: 'SHA256:test' }

/** A cosign v3 bundle signed with a key: a DSSE envelope over an in-toto statement. */
function keyBundle(statement: unknown): unknown {
  const payloadType = 'application/vnd.in-toto+json'
  const payload = Buffer.from(JSON.stringify(statement))
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${payloadType.length} ${payloadType} ${payload.length} `),
    payload,
  ])
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    dsseEnvelope: {
      payloadType,
      payload: payload.toString('base64'),
      signatures: [{ sig: crypto.sign('sha256', pae, privateKey).toString('base64'), keyid: '' }],
    },
  }
}

const statement = (predicateType: string, hex: string) => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'registry/shop/api', digest: { sha256: hex } }],
  predicateType,
  predicate: {},
})

describe('a cosign v3 bundle checked with a key', () => {
  test.each([
    [
      'the signature of the digest passes',
      statement('https://sigstore.dev/cosign/sign/v1', 'a'.repeat(64)),
      undefined,
    ],
    [
      'an attestation is not a signature',
      statement('https://slsa.dev/provenance/v1', 'a'.repeat(64)),
      'the bundle is an attestation of https://slsa.dev/provenance/v1, not a cosign signature',
    ],
    [
      'a signature of another digest',
      statement('https://sigstore.dev/cosign/sign/v1', 'b'.repeat(64)),
      `it signs sha256:${'b'.repeat(64)}, not ${DIGEST}`,
    ],
  ])('%s', (_name, signed, reason) => {
    const outcome = checkSignature(
      { kind: 'bundle', where: 'referrer x', bundle: keyBundle(signed) },
      policy,
      [],
      DIGEST,
    )
    expect(outcome).toEqual(
      reason === undefined
        ? { kind: 'accepted', where: 'referrer x', signer: 'key SHA256:test' }
        : expect.objectContaining({ kind: 'refused', reason }),
    )
  })

  test('a payload changed after signing does not verify', () => {
    const bundle = keyBundle(statement('https://sigstore.dev/cosign/sign/v1', 'a'.repeat(64))) as {
      dsseEnvelope: { payload: string }
    }
    bundle.dsseEnvelope.payload = Buffer.from(
      JSON.stringify(statement('https://sigstore.dev/cosign/sign/v1', 'c'.repeat(64))),
    ).toString('base64')
    expect(checkSignature({ kind: 'bundle', where: 'r', bundle }, policy, [], DIGEST)).toMatchObject({
      kind: 'refused',
      reason: "the bundle's signature does not verify with cosign-public-key (SHA256:test)",
    })
  })
})
