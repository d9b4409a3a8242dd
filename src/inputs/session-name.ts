import type { RunnerContext } from '../runner/context.js'

/** STS RoleSessionName: [\w+=,.@-]{2,64} (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html). */
export const SESSION_NAME_PATTERN = /^[\w+=,.@-]{2,64}$/

/**
 * A session name CloudTrail readers can trace back to the run:
 * `gha-<owner>.<repo>-<run id>-<attempt>`, the repository part cut to fit 64 characters.
 */
export function deriveSessionName(
  context: Pick<RunnerContext, 'repository' | 'runId' | 'runAttempt'>,
): string {
  const sanitize = (text: string): string => text.replace(/[^\w+=,.@-]/g, '-')
  const tail = sanitize(`-${context.runId}-${context.runAttempt}`)
  const repository = sanitize(context.repository.replace('/', '.')).slice(
    0,
    Math.max(0, 64 - 4 - tail.length),
  )
  return `gha-${repository}${tail}`.slice(0, 64)
}
