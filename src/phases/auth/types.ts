import type { AwsCredentials } from '../../lib/aws-clients.js'
import type { IdTokenRequest } from '../../runner/context.js'

/** Phase auth's parameters, as the plan validated them. */
export interface AuthParams {
  readonly region: string
  readonly roleArn: string
  /**
   * role-chaining: assume the role with sts:AssumeRole signed by the job's current credentials (the
   * runner's own identity or an earlier step's), instead of with the GitHub OIDC token.
   */
  readonly isRoleChaining: boolean
  readonly audience: string
  readonly sessionName: string
  readonly durationSeconds: number
  readonly inlineSessionPolicy: string | undefined
  readonly managedSessionPolicies: readonly string[]
  readonly allowedAccountIds: readonly string[]
  readonly idTokenRequest: IdTokenRequest | undefined
}

export interface AuthResult {
  readonly credentials: AwsCredentials
  readonly accountId: string
  /** The assumed-role ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION). */
  readonly assumedRoleArn: string
  readonly roleArn: string
  readonly expiration: Date | undefined
}
