import type { Inputs } from '../../inputs/types.js'
import type { PhaseReport, SummaryRow } from '../phase.js'
import type { AuthResult } from './types.js'

/** Phase auth's outputs, summary and exported variables, as the phase table holds them. */
export const authReport: PhaseReport<AuthResult> = { outputsOf, summaryRows, exportedEnv }

/** Phase auth's step outputs, by name as declared in action.yml. */
function outputsOf(auth: AuthResult): Record<string, string> {
  return {
    'aws-account-id': auth.accountId,
    'aws-session-arn': auth.assumedRoleArn,
    ...(auth.expiration === undefined ? {} : { 'aws-credentials-expiration': auth.expiration.toISOString() }),
  }
}

/** Phase auth's rows of the job summary's table. */
function summaryRows(auth: AuthResult): SummaryRow[] {
  return [
    ['Role', [{ code: auth.roleArn }]],
    ['Account', [auth.accountId]],
  ]
}

/** The credentials (and region) for the job's later steps, under export-credentials. */
function exportedEnv(auth: AuthResult, inputs: Pick<Inputs, 'auth' | 'region'>): Record<string, string> {
  if (!inputs.auth.shouldExportCredentials) return {}
  const { credentials } = auth
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: credentials.sessionToken }),
    // As configure-aws-credentials does: the SDKs and the token plugin read it, so a later step never
    // signs past the session's end, and says the session expired instead of a bare Unauthorized.
    ...(credentials.expiration === undefined
      ? {}
      : { AWS_CREDENTIAL_EXPIRATION: credentials.expiration.toISOString() }),
    AWS_REGION: inputs.region,
    AWS_DEFAULT_REGION: inputs.region,
  }
}
