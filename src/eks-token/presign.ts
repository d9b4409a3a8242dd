import { createHash, createHmac } from 'node:crypto'
import type { Env } from '../lib/env.js'

/**
 * The EKS bearer token, made the way `aws eks get-token` and aws-iam-authenticator expect it:
 * "k8s-aws-v1." + base64url (no padding) of a SigV4-presigned STS GetCallerIdentity GET whose
 * signed headers include `x-k8s-aws-id: <cluster>`. EKS sends the URL to STS itself and maps the
 * caller's ARN to a Kubernetes identity; the signed header binds the token to one cluster.
 * See https://github.com/kubernetes-sigs/aws-iam-authenticator#how-does-it-work
 *
 * Only node:crypto here: the exec plugin (dist/token/index.js) bundles this file and must stay tiny.
 */
interface TokenCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

export interface EksTokenRequest {
  readonly credentials: TokenCredentials
  readonly region: string
  readonly clusterName: string
  /** The STS endpoint in use (see resolveStsEndpoint): the token's URL names it. */
  readonly stsEndpoint: string
  readonly now: Date
}

export interface EksToken {
  readonly token: string
  /** When clients should ask for a new token: signing time + 14 minutes. */
  readonly expiration: Date
}

const EKS_TOKEN_PREFIX = 'k8s-aws-v1.'
const CLUSTER_ID_HEADER = 'x-k8s-aws-id'
// Both as in the AWS CLI's `eks get-token`: the presigned URL itself lives 60 s (aws-iam-authenticator
// refuses X-Amz-Expires above 900), and EKS accepts the token for 15 minutes after X-Amz-Date, so
// clients are told 14 minutes to refresh before EKS would refuse it.
const PRESIGN_EXPIRES_SECONDS = '60'
const TOKEN_LIFETIME_MS = 14 * 60_000
const ALGORITHM = 'AWS4-HMAC-SHA256'
const SIGNED_HEADERS = `host;${CLUSTER_ID_HEADER}`
// SHA-256 of the empty body of the GET: STS does not take UNSIGNED-PAYLOAD for a presigned query.
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

export function createEksToken(request: EksTokenRequest): EksToken {
  const signedAt = new Date(Math.floor(request.now.getTime() / 1000) * 1000)
  const url = presignGetCallerIdentity({ ...request, now: signedAt })
  return {
    token: EKS_TOKEN_PREFIX + Buffer.from(url).toString('base64url'),
    expiration: new Date(signedAt.getTime() + TOKEN_LIFETIME_MS),
  }
}

/** The presigned URL, parameters in the AWS CLI's order (the signature covers them sorted). */
function presignGetCallerIdentity(request: EksTokenRequest): string {
  const { credentials, region, clusterName } = request
  const endpoint = new URL(request.stsEndpoint)
  const path = endpoint.pathname.endsWith('/') ? endpoint.pathname : `${endpoint.pathname}/`
  const amzDate = request.now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')
  const scope = `${amzDate.slice(0, 8)}/${region}/sts/aws4_request`
  const params: [string, string][] = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', PRESIGN_EXPIRES_SECONDS],
    ['X-Amz-SignedHeaders', SIGNED_HEADERS],
  ]
  if (credentials.sessionToken !== undefined && credentials.sessionToken !== '') {
    params.push(['X-Amz-Security-Token', credentials.sessionToken])
  }
  const encoded = params.map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
  const canonicalRequest = [
    'GET',
    path,
    [...encoded].sort().join('&'),
    `host:${endpoint.host}\n${CLUSTER_ID_HEADER}:${clusterName}\n`,
    SIGNED_HEADERS,
    EMPTY_PAYLOAD_SHA256,
  ].join('\n')
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  const signature = hmac(signingKey(credentials.secretAccessKey, scope), stringToSign).toString('hex')
  return `${endpoint.origin}${path}?${encoded.join('&')}&X-Amz-Signature=${signature}`
}

/** SigV4 signing key: HMAC chain over the credential scope's date, region, service and terminator. */
function signingKey(secretAccessKey: string, scope: string): Buffer {
  return scope
    .split('/')
    .reduce<Buffer>((key, part) => hmac(key, part), Buffer.from(`AWS4${secretAccessKey}`))
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex')
}

/** SigV4 URI encoding: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded, hex upper case. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** RFC 3339 in whole seconds, as Kubernetes and the AWS CLI print an ExecCredential's expiry. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The STS endpoint the token names: the configured one (AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL,
 * which the SDK and the AWS CLI honour too), else the regional endpoint of the region's partition.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 */
export function resolveStsEndpoint(env: Env, region: string): string {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() !== 'true') {
    for (const name of ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL']) {
      const configured = env[name]?.trim()
      if (configured !== undefined && configured !== '') return configured
    }
  }
  return `https://sts.${region}.${partitionDnsSuffix(region)}`
}

// The DNS suffixes of the partitions (botocore's endpoints.json / the SDK's partitions.json).
const PARTITION_SUFFIXES: readonly [RegExp, string][] = [
  [/^cn-/, 'amazonaws.com.cn'],
  [/^us-iso-/, 'c2s.ic.gov'],
  [/^us-isob-/, 'sc2s.sgov.gov'],
  [/^us-isof-/, 'csp.hci.ic.gov'],
  [/^eu-isoe-/, 'cloud.adc-e.uk'],
]

function partitionDnsSuffix(region: string): string {
  return PARTITION_SUFFIXES.find(([pattern]) => pattern.test(region))?.[1] ?? 'amazonaws.com'
}
