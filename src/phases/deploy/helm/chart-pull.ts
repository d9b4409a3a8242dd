import type { ChartRef } from '../../../inputs/types.js'
import { ActionError } from '../../../lib/errors.js'
import { lastHelmError } from '../../../helm/failure.js'

type PullRefusal = 'login' | 'denied' | 'not-found'

// How helm 3 and helm 4 report a registry's answer while pulling an oci:// chart (checked with
// helm 3.17 and 4.1 against a registry on loopback): 401/403 with the URL or "response status
// code", 404 as "<host>/<repository>:<version>: not found", and no login at all (which alone does
// not name the registry).
const REFUSALS: readonly [RegExp, PullRefusal][] = [
  [/: 401 Unauthorized|response status code 401/, 'login'],
  [/: 403 Forbidden|response status code 403/, 'denied'],
  [/: 404 Not Found|response status code 404|: not found\b/, 'not-found'],
]
const NO_LOGIN = /no basic auth credentials|basic credential not found|pull access denied/

/**
 * A failed upgrade that never got past pulling an oci:// chart: the registry refused it (HTTP 401,
 * 403 or 404). Says so, naming the chart and its registry, not the cluster. Undefined otherwise.
 */
export function explainChartPullFailure(
  chart: ChartRef,
  chartVersion: string | undefined,
  stderr: string,
): ActionError | undefined {
  if (chart.kind !== 'oci') return undefined
  const helmError = lastHelmError(stderr)
  const registry = chart.ref.slice('oci://'.length).split('/')[0] ?? ''
  const refusal = NO_LOGIN.test(helmError)
    ? 'login'
    : helmError.includes(registry)
      ? REFUSALS.find(([pattern]) => pattern.test(helmError))?.[1]
      : undefined
  if (refusal === undefined) return undefined
  const version = chartVersion === undefined ? '' : ` version ${chartVersion}`
  const what = {
    login: 'refused the login (HTTP 401)',
    denied: 'denied the pull (HTTP 403)',
    'not-found': 'has no such chart or version (HTTP 404)',
  }[refusal]
  return new ActionError(
    `helm could not pull the chart ${chart.ref}${version}: registry ${registry} ${what}. helm said: ${helmError}`,
    { hint: pullHint(refusal, registry) },
  )
}

function pullHint(refusal: PullRefusal, registry: string): string {
  const isEcr = /\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/.test(registry)
  switch (refusal) {
    case 'login':
      return isEcr
        ? `Phase ecr-login logs in to ${registry} for an oci:// chart in ECR: run it (phases: auto, or list ecr-login), with a role allowed ecr:GetAuthorizationToken.`
        : `helm runs with a registry config of its own (HELM_REGISTRY_CONFIG) and reads logins from DOCKER_CONFIG: log in to ${registry} with \`docker login\` (or docker/login-action) in an earlier step; a \`helm registry login\` of an earlier step does not reach it.`
    case 'denied':
      return isEcr
        ? `Allow ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on the chart's repository to the role; for a registry of another account, in that repository's policy too.`
        : `The credentials for ${registry} may not pull this repository: check their permissions.`
    case 'not-found':
      return "Check 'chart' (oci://<registry>/<repository>, without a tag) and 'chart-version': the registry has no such repository or version."
  }
}
