import type { InputProblems } from './problems.js'
import type { GitHubInputs } from './types.js'

// GitHub's limit on an environment's name.
const MAX_ENVIRONMENT_LENGTH = 255

/** Readers of the inputs that report to GitHub (comment-on-pr, github-deployment). */
export function readGitHub(p: InputProblems): GitHubInputs {
  const token = p.optional('github-token')
  const shouldCommentOnPr = p.bool('comment-on-pr', false)
  const shouldCreateDeployment = p.bool('github-deployment', false)
  const environment = p.optional('environment')
  const environmentUrl = p.optional('environment-url')
  if ((shouldCommentOnPr || shouldCreateDeployment) && token === undefined) {
    const which = shouldCommentOnPr ? 'comment-on-pr' : 'github-deployment'
    p.add(
      'github-token',
      '',
      `is required with ${which}: true (its default is \${{ github.token }}; do not empty it).`,
    )
  }
  if (shouldCreateDeployment && environment === undefined)
    p.add(
      'environment',
      '',
      'is required with github-deployment: true: the GitHub environment to deploy to, e.g. production or pr-12.',
    )
  if (environment !== undefined && environment.length > MAX_ENVIRONMENT_LENGTH)
    p.add(
      'environment',
      `${environment.slice(0, 40)}...`,
      `must be at most ${MAX_ENVIRONMENT_LENGTH} characters.`,
    )
  if (environmentUrl !== undefined && !/^https?:\/\/[^\s/]+\S*$/.test(environmentUrl))
    p.add(
      'environment-url',
      environmentUrl,
      'must be an http(s):// URL such as https://pr-12.preview.example.com.',
    )
  return { token, shouldCommentOnPr, shouldCreateDeployment, environment, environmentUrl }
}
