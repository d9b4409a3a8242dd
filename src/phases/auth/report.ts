import type { SummaryRow } from '../phase.js'
import type { AuthResult } from './types.js'

/** Phase auth's step outputs, by name as declared in action.yml. */
export function outputsOf(auth: AuthResult): Record<string, string> {
  return {
    'aws-account-id': auth.accountId,
    'aws-session-arn': auth.assumedRoleArn,
    ...(auth.expiration === undefined ? {} : { 'aws-credentials-expiration': auth.expiration.toISOString() }),
  }
}

/** Phase auth's rows of the job summary's table. */
export function summaryRows(auth: AuthResult): SummaryRow[] {
  return [
    ['Role', [{ code: auth.roleArn }]],
    ['Account', [auth.accountId]],
  ]
}
