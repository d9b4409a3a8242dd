import { errorNames, failedIn, failedTogether, type PhaseFailure } from '../lib/errors.js'
import type { Plan } from './plan.js'

/**
 * The failures of phases that ran side by side (each shown with its phase), or undefined when none
 * failed. `phases` names each outcome's phase, for an error that no part of it marked.
 */
export function sideBySideFailure(
  outcomes: readonly PromiseSettledResult<unknown>[],
  phases: readonly string[],
  plan: Pick<Plan, 'ecr' | 'kubeconfig'>,
): PhaseFailure | undefined {
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.status === 'rejected' ? [failedIn(phases[index] ?? 'unknown', outcome.reason)] : [],
  )
  const [first, ...rest] = failures
  return first && failedTogether([first, ...rest], wrongRegionHint([first, ...rest], plan))
}

/**
 * A cluster and a repository that are both missing are rarely two typos: the usual cause is an
 * `aws-region` that is valid but not theirs (DescribeCluster and ECR answer per region).
 */
function wrongRegionHint(
  failures: readonly PhaseFailure[],
  plan: Pick<Plan, 'ecr' | 'kubeconfig'>,
): string | undefined {
  const names = failures.flatMap((failure) => failure.failures.flatMap(({ error }) => errorNames(error)))
  const { ecr, kubeconfig } = plan
  const repository = ecr?.image?.repository
  if (
    kubeconfig === undefined ||
    repository === undefined ||
    !names.includes('ResourceNotFoundException') ||
    !names.includes('RepositoryNotFoundException')
  )
    return undefined
  const ecrRegion = ecr?.location.region ?? kubeconfig.region
  const where =
    ecrRegion === kubeconfig.region
      ? `in ${kubeconfig.region}`
      : `(the cluster in ${kubeconfig.region}, the repository in ${ecrRegion})`
  return [
    `Neither the EKS cluster '${kubeconfig.clusterName}' nor the ECR repository '${repository}' was found ${where}:`,
    `when both are missing, 'aws-region' (${kubeconfig.region}) is usually not the region they live in.`,
    `Set 'aws-region' to their region (aws eks list-clusters --region <region> shows the clusters there).`,
  ].join(' ')
}
