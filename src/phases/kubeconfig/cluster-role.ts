import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentials } from '../../lib/aws-clients.js'
import { ANSWER_HINT, ANSWER_SHAPES, checkAnswer } from '../../lib/answer-shapes.js'
import { ActionError } from '../../lib/errors.js'
import { credentialsOf } from '../../lib/sts-credentials.js'
import type { Runtime } from '../../runner/runtime.js'
import { clusterRoleFailed } from './errors.js'

// STS refuses more than an hour for a role assumed with role credentials ("role chaining").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
const CLUSTER_ROLE_SECONDS = 3600

/** cluster-role-arn: STS AssumeRole with the first credentials; the new ones are masked at once. */
export async function assumeClusterRole(
  params: { readonly clusterRoleArn: string; readonly roleSessionName: string },
  deps: { readonly runtime: Runtime; readonly sts: () => Promise<Pick<STSClient, 'send'>> },
): Promise<AwsCredentials> {
  const { clusterRoleArn } = params
  try {
    const sts = await deps.sts()
    const response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: clusterRoleArn,
        RoleSessionName: params.roleSessionName,
        DurationSeconds: CLUSTER_ROLE_SECONDS,
      }),
    )
    const credentials = credentialsOf(
      response.Credentials,
      deps.runtime,
      () =>
        new ActionError(`STS AssumeRole of ${clusterRoleArn} answered without credentials.`, {
          hint: ANSWER_HINT,
        }),
    )
    const identity = response.AssumedRoleUser?.Arn ?? clusterRoleArn
    const source = "AssumedRoleUser.Arn in STS's answer"
    deps.runtime.info(`Kubernetes identity: ${checkAnswer(identity, ANSWER_SHAPES.assumedRoleArn, source)}`)
    return credentials
  } catch (error) {
    throw error instanceof ActionError ? error : clusterRoleFailed(error, clusterRoleArn)
  }
}
