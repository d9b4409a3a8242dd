import type { Credentials } from '@aws-sdk/client-sts'
import type { AwsCredentials } from './aws-clients.js'
import { maskSecrets, type Masker } from './masking.js'

/**
 * The credentials of an STS answer (AssumeRole and AssumeRoleWithWebIdentity have the same shape),
 * masked the moment they exist; `missing` is the caller's error for an answer without them.
 */
export function credentialsOf(
  credentials: Credentials | undefined,
  masker: Masker,
  missing: () => Error,
): AwsCredentials & { readonly sessionToken: string } {
  const c = credentials
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
    throw missing()
  }
  maskSecrets(masker, c.AccessKeyId, c.SecretAccessKey, c.SessionToken)
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
  }
}
