import { ActionError, namedMessageOf } from '../../lib/errors.js'

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : '')

/** A failed ECR call as one ActionError: the action, the facts (registry, region, repository), the fix. */
export function explainEcrError(error: unknown, action: string, facts: string): ActionError {
  if (error instanceof ActionError) return error
  const name = nameOf(error)
  const detail = namedMessageOf(error)
  if (name === 'CredentialsProviderError') {
    return new ActionError(`ECR ${action} (${facts}) has no AWS credentials to sign with.`, {
      cause: error,
      hint: "Give 'role-to-assume' (phase auth), or run aws-actions/configure-aws-credentials or an earlier step of this action with export-credentials before this step.",
    })
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return new ActionError(`Not authorized to call ecr:${action} (${facts}).`, {
      cause: error,
      hint: `Allow ecr:${action} to the role in its IAM policy${action === 'GetAuthorizationToken' ? ' (Resource: "*")' : ' on the repository'}, and for another account's registry in that repository's policy too.${action === 'DescribeImageScanFindings' ? ' With enhanced scanning (Amazon Inspector) the role also needs inspector2:ListFindings.' : ''}`,
    })
  }
  if (name === 'RepositoryNotFoundException') {
    return new ActionError(`The ECR repository does not exist (${facts}).`, {
      cause: error,
      hint: "Check 'ecr-repository' (the name only, e.g. shop/api), 'aws-region' and 'registries', or create the repository.",
    })
  }
  return new ActionError(`ECR ${action} failed (${facts}): ${detail}`, {
    cause: error,
    hint:
      name === 'TimeoutError'
        ? "ECR did not answer in time: check the runner's network path to ECR (proxy, VPC endpoint, AWS_ENDPOINT_URL_ECR), then re-run the job."
        : 'If this is transient (throttling, a network error), re-run the job; the SDK already retried.',
  })
}
