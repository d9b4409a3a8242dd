import type { AwsCredentials } from './aws-clients.js'

/**
 * AWS variables for a child process (helm): the kubeconfig's exec plugin inherits them and signs
 * its EKS token with them, whether or not the credentials are exported to later steps.
 */
export function awsEnv(region: string, credentials: AwsCredentials | undefined): Record<string, string> {
  const env: Record<string, string> = { AWS_REGION: region, AWS_DEFAULT_REGION: region }
  if (credentials === undefined) return env
  env.AWS_ACCESS_KEY_ID = credentials.accessKeyId
  env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey
  if (credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = credentials.sessionToken
  return env
}
