// Shapes shared by the readers of several phases.

/**
 * An IAM role ARN, in any partition: an optional path (at most 512 characters) and a role name of
 * 1-64 characters (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const ROLE_ARN_PATTERN =
  /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/(?=[\w+=,.@/-]{1,576}$)(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
export const ROLE_ARN_RULE =
  'must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy (a role name of 1-64 letters, digits and +=,.@_-, after an optional path).'
export const ACCOUNT_PATTERN = /^\d{12}$/

/** An http(s) URL with a host: what helm's --repo, the helm mirror and verify-urls take. */
export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
  } catch {
    return false
  }
}
