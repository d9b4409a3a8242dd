import type { AwsCredentials } from '../lib/aws-clients.js'

/**
 * The file that hands the cluster role's credentials to the exec plugin (they must not go into the
 * job's environment or the kubeconfig). Same shape as the AWS CLI's credential_process output
 * (Version 1), so it reads as what it is.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
 */
interface CredentialsFileJson {
  readonly Version: 1
  readonly AccessKeyId: string
  readonly SecretAccessKey: string
  readonly SessionToken?: string
  readonly Expiration?: string
}

export function encodeCredentialsFile(credentials: AwsCredentials): string {
  const json: CredentialsFileJson = {
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { SessionToken: credentials.sessionToken }),
    ...(credentials.expiration === undefined ? {} : { Expiration: credentials.expiration.toISOString() }),
  }
  return `${JSON.stringify(json)}\n`
}

/** Throws an Error whose message says what is wrong with the file (never its secret values). */
export function decodeCredentialsFile(text: string): AwsCredentials {
  let json: Partial<Record<keyof CredentialsFileJson, unknown>>
  try {
    json = JSON.parse(text) as typeof json
  } catch {
    throw new Error('is not JSON')
  }
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = json
  if (json.Version !== 1 || typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') {
    throw new Error('lacks Version 1, AccessKeyId or SecretAccessKey')
  }
  if (AccessKeyId.trim() === '' || SecretAccessKey.trim() === '') {
    throw new Error('has an AccessKeyId or SecretAccessKey of only whitespace')
  }
  const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined
  if (expiration !== undefined && Number.isNaN(expiration.getTime())) {
    throw new Error(`has an Expiration that is not a date: ${Expiration as string}`)
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    ...(typeof SessionToken === 'string' && SessionToken !== '' ? { sessionToken: SessionToken } : {}),
    ...(expiration === undefined ? {} : { expiration }),
  }
}
