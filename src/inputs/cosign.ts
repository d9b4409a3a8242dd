import crypto from 'node:crypto'
import type { InputProblems } from './problems.js'
import type { CosignInputs, CosignKeyInput } from './types.js'

// Readers of verify-image: cosign's inputs (issue 26): cosign-public-key, or cosign-identity with
// cosign-issuer, as `cosign verify --key` or `--certificate-identity --certificate-oidc-issuer`.

const COSIGN_INPUTS = ['cosign-public-key', 'cosign-identity', 'cosign-issuer'] as const
const KMS_PATTERN = /^(awskms|gcpkms|azurekms|hashivault|k8s):\/\/|^arn:aws[a-z-]*:kms:/i

export function readCosign(p: InputProblems, isOn: boolean): CosignInputs | undefined {
  if (!isOn) {
    // Ignored, but read as they would be: a line break where none belongs is refused all the same.
    const key = p.multiline('cosign-public-key')
    if (key !== undefined && !key.startsWith('-----BEGIN') && /[\r\n]/.test(key)) notAKey(p, key)
    for (const name of COSIGN_INPUTS) {
      const value = name === 'cosign-public-key' ? key : p.optional(name)
      if (value !== undefined)
        p.warn(
          name,
          value.slice(0, 60),
          'is only read with verify-image or verify-chart: cosign; it is ignored.',
        )
    }
    return undefined
  }
  const key = readKey(p)
  const identity = p.optional('cosign-identity')
  const issuer = p.optional('cosign-issuer')
  if (key !== undefined) {
    if (identity !== undefined || issuer !== undefined)
      p.add(
        'cosign-public-key',
        '(a key)',
        'and cosign-identity/cosign-issuer are two ways to verify: give the key (cosign sign --key) or the keyless signer (cosign sign with an OIDC identity), not both.',
      )
    return { kind: 'key', key }
  }
  if (identity !== undefined && issuer !== undefined) return { kind: 'keyless', identity, issuer }
  if (identity === undefined && issuer === undefined) {
    p.add(
      'verify-image',
      'cosign',
      "needs cosign-public-key (signed with cosign sign --key), or cosign-identity and cosign-issuer (keyless: the signing certificate's identity, e.g. https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main, and https://token.actions.githubusercontent.com).",
    )
  } else {
    const missing = identity === undefined ? 'cosign-identity' : 'cosign-issuer'
    p.add(
      missing,
      '',
      'is required with the other of cosign-identity and cosign-issuer: a keyless signature is checked on both.',
    )
  }
  return undefined
}

/** A PEM public key (inline), a file holding one, or a KMS key (refused: not verified yet). */
function readKey(p: InputProblems): CosignKeyInput | undefined {
  const value = p.multiline('cosign-public-key')
  if (value === undefined) return undefined
  if (KMS_PATTERN.test(value)) {
    p.add(
      'cosign-public-key',
      value,
      'a KMS key is not supported yet: give its public key in PEM (aws kms get-public-key --key-id <arn> --output text --query PublicKey | base64 -d | openssl pkey -pubin -inform DER), or the path of a .pem file.',
    )
    return undefined
  }
  if (!value.startsWith('-----BEGIN')) {
    if (/[\r\n]/.test(value)) {
      notAKey(p, value)
      return undefined
    }
    return { kind: 'file', path: value }
  }
  try {
    const key = crypto.createPublicKey(value)
    if (
      key.asymmetricKeyType !== 'ec' &&
      key.asymmetricKeyType !== 'rsa' &&
      key.asymmetricKeyType !== 'ed25519'
    )
      throw new Error(`an ${String(key.asymmetricKeyType)} key`)
  } catch (error) {
    p.add(
      'cosign-public-key',
      value.split('\n')[0] ?? '',
      `is not a public key cosign signs with (ECDSA P-256 from cosign generate-key-pair, RSA or Ed25519): ${error instanceof Error ? error.message : String(error)}.`,
    )
    return undefined
  }
  return { kind: 'pem', pem: value }
}

function notAKey(p: InputProblems, value: string): void {
  p.add(
    'cosign-public-key',
    value,
    'must be a PEM public key (-----BEGIN PUBLIC KEY-----) or the path of a file holding one.',
  )
}
