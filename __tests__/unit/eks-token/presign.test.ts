import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createEksToken, encodeRfc3986, resolveStsEndpoint } from '../../../src/eks-token/presign.js'
import { decodeEksToken, isSignatureValid } from '../../fixtures/eks-token-verify.js'

interface CliVector {
  readonly name: string
  readonly cluster: string
  readonly env: Record<string, string>
  readonly execCredential: {
    apiVersion: string
    kind: string
    status: { token: string; expirationTimestamp: string }
  }
}

// Captured from `aws eks get-token` by scripts/capture-aws-cli-tokens.mjs (example credentials only).
const vectors = (
  JSON.parse(
    readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'aws-cli-tokens.json'), 'utf8'),
  ) as { vectors: CliVector[] }
).vectors

function cliSigningTime(token: string): Date {
  const amzDate = decodeEksToken(token).params.get('X-Amz-Date') ?? ''
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(amzDate) ?? []
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`)
}

function tokenLikeCli(vector: CliVector, now: Date) {
  const region = vector.env.AWS_DEFAULT_REGION ?? ''
  return createEksToken({
    credentials: {
      accessKeyId: vector.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: vector.env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: vector.env.AWS_SESSION_TOKEN,
    },
    region,
    clusterName: vector.cluster,
    stsEndpoint: resolveStsEndpoint(vector.env, region),
    now,
  })
}

describe('createEksToken against the AWS CLI', () => {
  test('the fixture holds vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(4)
  })

  test.each(vectors.map((vector) => [vector.name, vector] as const))(
    '%s: the same token, byte for byte, at the same second',
    (_name, vector) => {
      const cli = vector.execCredential.status
      const signedAt = cliSigningTime(cli.token)
      // A clock 900 ms into the second signs as of that second, like botocore.
      const ours = tokenLikeCli(vector, new Date(signedAt.getTime() + 900))
      expect(decodeEksToken(ours.token).url.href).toBe(decodeEksToken(cli.token).url.href)
      expect(ours.token).toBe(cli.token)
      expect(ours.expiration.toISOString().replace('.000Z', 'Z')).toBe(cli.expirationTimestamp)
    },
  )

  test.each(vectors.map((vector) => [vector.name, vector] as const))(
    '%s: the same parameters in the same order and the same signed headers, at another time',
    (_name, vector) => {
      const cli = decodeEksToken(vector.execCredential.status.token)
      const ours = decodeEksToken(tokenLikeCli(vector, new Date('2031-02-03T04:05:06Z')).token)
      expect(ours.order).toEqual(cli.order)
      expect(ours.params.get('X-Amz-SignedHeaders')).toBe(cli.params.get('X-Amz-SignedHeaders'))
      expect(ours.url.origin + ours.url.pathname).toBe(cli.url.origin + cli.url.pathname)
      for (const key of ['Action', 'Version', 'X-Amz-Algorithm', 'X-Amz-Expires', 'X-Amz-Security-Token']) {
        expect(ours.params.get(key)).toBe(cli.params.get(key))
      }
    },
  )
})

const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEKEY123456',
  secretAccessKey: 'secret/with+special=chars',
  sessionToken: 'session/token+with=chars',
}
const NOW = new Date('2025-03-04T05:06:07.890Z')

describe('createEksToken, field by field', () => {
  const { token, expiration } = createEksToken({
    credentials: CREDENTIALS,
    region: 'eu-central-1',
    clusterName: 'prod',
    stsEndpoint: 'https://sts.eu-central-1.amazonaws.com',
    now: NOW,
  })
  const { url, params, order } = decodeEksToken(token)

  test.each([
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', 'ASIAEXAMPLEKEY123456/20250304/eu-central-1/sts/aws4_request'],
    ['X-Amz-Date', '20250304T050607Z'],
    ['X-Amz-Expires', '60'],
    ['X-Amz-SignedHeaders', 'host;x-k8s-aws-id'],
    ['X-Amz-Security-Token', 'session/token+with=chars'],
  ])('%s = %s', (key, value) => {
    expect(params.get(key)).toBe(value)
  })

  test('only the parameters aws-iam-authenticator accepts, each once, signature last', () => {
    expect(order).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Security-Token',
      'X-Amz-Signature',
    ])
    expect(params.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
  })

  test('a GET of the regional endpoint root, base64url without padding', () => {
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe('https://sts.eu-central-1.amazonaws.com/')
    expect(token).not.toMatch(/[=+/]/)
  })

  test('expires 14 minutes after the signing second', () => {
    expect(expiration.toISOString()).toBe('2025-03-04T05:20:07.000Z')
  })

  test('the signature verifies for the secret key and cluster, and only for them', () => {
    expect(isSignatureValid(token, CREDENTIALS.secretAccessKey, 'prod')).toBe(true)
    expect(isSignatureValid(token, CREDENTIALS.secretAccessKey, 'prod2')).toBe(false)
    expect(isSignatureValid(token, 'another-secret', 'prod')).toBe(false)
  })
})

describe('createEksToken, signatures for various inputs', () => {
  test.each([
    ['no session token', { ...CREDENTIALS, sessionToken: undefined }, 'http://127.0.0.1:5000', 'lab'],
    ['empty session token', { ...CREDENTIALS, sessionToken: '' }, 'https://localhost:4566/', 'a_b-c'],
    ['endpoint with a path', CREDENTIALS, 'http://127.0.0.1:8080/sts', 'c'],
    ['https on 443', CREDENTIALS, 'https://sts.us-east-1.amazonaws.com:443', 'x'],
  ])('%s', (_name, credentials, stsEndpoint, clusterName) => {
    const { token } = createEksToken({ credentials, region: 'us-west-2', clusterName, stsEndpoint, now: NOW })
    const { params } = decodeEksToken(token)
    expect(params.has('X-Amz-Security-Token')).toBe(
      credentials.sessionToken !== undefined && credentials.sessionToken !== '',
    )
    expect(isSignatureValid(token, credentials.secretAccessKey, clusterName)).toBe(true)
  })

  test('same inputs, same token; another second, another token', () => {
    const make = (now: Date) =>
      createEksToken({
        credentials: CREDENTIALS,
        region: 'us-west-2',
        clusterName: 'c',
        stsEndpoint: 'https://sts.us-west-2.amazonaws.com',
        now,
      }).token
    expect(make(NOW)).toBe(make(new Date(NOW.getTime() + 50)))
    expect(make(NOW)).not.toBe(make(new Date(NOW.getTime() + 1000)))
  })
})

describe('resolveStsEndpoint', () => {
  test.each([
    [{}, 'us-east-1', 'https://sts.us-east-1.amazonaws.com'],
    [{}, 'eu-west-3', 'https://sts.eu-west-3.amazonaws.com'],
    [{}, 'cn-northwest-1', 'https://sts.cn-northwest-1.amazonaws.com.cn'],
    [{}, 'us-gov-west-1', 'https://sts.us-gov-west-1.amazonaws.com'],
    [{}, 'us-iso-east-1', 'https://sts.us-iso-east-1.c2s.ic.gov'],
    [{}, 'us-isob-east-1', 'https://sts.us-isob-east-1.sc2s.sgov.gov'],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, 'us-east-1', 'http://127.0.0.1:1'],
    [{ AWS_ENDPOINT_URL: 'http://a:1', AWS_ENDPOINT_URL_STS: 'http://b:2' }, 'us-east-1', 'http://b:2'],
    [{ AWS_ENDPOINT_URL_STS: ' ' }, 'us-east-1', 'https://sts.us-east-1.amazonaws.com'],
    [
      { AWS_ENDPOINT_URL_STS: 'http://b:2', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'us-east-1',
      'https://sts.us-east-1.amazonaws.com',
    ],
  ])('%j in %s -> %s', (env, region, expected) => {
    expect(resolveStsEndpoint(env, region)).toBe(expected)
  })
})

test.each([
  ['a/b', 'a%2Fb'],
  ["!'()*", '%21%27%28%29%2A'],
  ['-_.~', '-_.~'],
  ['é ', '%C3%A9%20'],
])('encodeRfc3986(%s) = %s', (text, encoded) => {
  expect(encodeRfc3986(text)).toBe(encoded)
})
