import type { AwsCredentials } from './aws-clients.js'
import type { Env } from './env.js'

/** The variables the token plugin reads when kubectl or helm runs it (see token-plugin.ts). */
const ENDPOINT_VARIABLES = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
]

/**
 * What a child process (helm, kubectl) needs so that the kubeconfig's exec plugin, which inherits
 * its environment, can sign EKS tokens: the credentials, the region and the STS endpoint settings.
 * Spread it over the job's environment: every credential variable is set, to '' when absent, so a
 * stale AWS_SESSION_TOKEN of the job never pairs with other keys. Without `credentials` (ambient
 * credentials, auth skipped) the job's own values are passed on.
 */
export function buildSigningEnv(params: {
  readonly env: Env
  readonly credentials: AwsCredentials | undefined
  readonly region: string
}): Record<string, string> {
  const { env, credentials } = params
  const result: Record<string, string> = { AWS_REGION: params.region, AWS_DEFAULT_REGION: params.region }
  for (const name of ENDPOINT_VARIABLES) {
    const value = env[name]
    if (value !== undefined && value !== '') result[name] = value
  }
  if (credentials === undefined) {
    for (const name of CREDENTIAL_VARIABLES) result[name] = env[name] ?? ''
    return result
  }
  result.AWS_ACCESS_KEY_ID = credentials.accessKeyId
  result.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey
  result.AWS_SESSION_TOKEN = credentials.sessionToken ?? ''
  result.AWS_CREDENTIAL_EXPIRATION = credentials.expiration?.toISOString() ?? ''
  return result
}
