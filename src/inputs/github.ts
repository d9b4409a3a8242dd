import type { InputProblems } from './problems.js'
import type { GitHubInputs } from './types.js'

// GitHub's limit on an environment's name.
const MAX_ENVIRONMENT_LENGTH = 255

/** Readers of the inputs that report to GitHub (comment-on-pr, github-deployment). */
export function readGitHub(p: InputProblems): GitHubInputs {
  const token = p.optional('github-token')
  const shouldCommentOnPr = p.bool('comment-on-pr', false)
  const shouldCreateDeployment = p.bool('github-deployment', false)
  const shouldCreateCheckRun = p.bool('check-run', false)
  const { name, environment } = readDeploymentEnvironment(p)
  const environmentUrl = p.optional('environment-url')
  if ((shouldCommentOnPr || shouldCreateDeployment || shouldCreateCheckRun) && token === undefined) {
    const which = shouldCommentOnPr
      ? 'comment-on-pr'
      : shouldCreateDeployment
        ? 'github-deployment'
        : 'check-run'
    p.add(
      'github-token',
      '',
      `is required with ${which}: true (its default is \${{ github.token }}; do not empty it).`,
    )
  }
  if (shouldCreateDeployment && environment === undefined)
    p.add(
      name,
      '',
      'is required with github-deployment: true: the GitHub environment to deploy to, e.g. production or pr-12.',
    )
  if (environment !== undefined && environment.length > MAX_ENVIRONMENT_LENGTH)
    p.add(name, `${environment.slice(0, 40)}...`, `must be at most ${MAX_ENVIRONMENT_LENGTH} characters.`)
  if (environmentUrl !== undefined && !/^https?:\/\/[^\s/]+\S*$/.test(environmentUrl))
    p.add(
      'environment-url',
      environmentUrl,
      'must be an http(s):// URL such as https://pr-12.preview.example.com.',
    )
  return {
    token,
    shouldCommentOnPr,
    shouldCreateDeployment,
    shouldCreateCheckRun,
    environment,
    environmentUrl,
  }
}

/**
 * deployment-environment, or its old name `environment` (which read like the job's own `environment:`),
 * with a warning; both given is an error. The name returned is the one the value came from.
 */
function readDeploymentEnvironment(p: InputProblems): {
  readonly name: 'deployment-environment' | 'environment'
  readonly environment: string | undefined
} {
  const current = p.optional('deployment-environment')
  const old = p.optional('environment')
  if (old === undefined) return { name: 'deployment-environment', environment: current }
  if (current !== undefined) {
    p.add(
      'environment',
      old,
      `is the old name of 'deployment-environment', which is given too ('${current}'): remove 'environment'.`,
    )
    return { name: 'deployment-environment', environment: current }
  }
  p.warn(
    'environment',
    old,
    "is deprecated: rename it to 'deployment-environment' (same value). The old name will be removed.",
  )
  return { name: 'environment', environment: old }
}
