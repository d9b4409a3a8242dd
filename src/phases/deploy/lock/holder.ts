import { randomUUID } from 'node:crypto'
import type { Env } from '../../../lib/env.js'
import { printable } from '../../../lib/printable.js'
import type { LockHolder } from './types.js'

/** Where the holder's details are kept on the Lease, for a queued deploy and for `kubectl get lease -o yaml`. */
export const HOLDER_ANNOTATIONS = {
  repository: 'eks-deploy-action/repository',
  workflow: 'eks-deploy-action/workflow',
  runUrl: 'eks-deploy-action/run-url',
  attempt: 'eks-deploy-action/run-attempt',
  job: 'eks-deploy-action/job',
} as const

/** The Lease of a release: one per release and namespace (a release name is at most 53 characters). */
export const leaseNameOf = (release: string): string => `eks-deploy-action.${release}`

/** This run as a lock holder, from the runner's variables; the nonce tells apart two jobs of one run. */
export function lockHolderOf(context: {
  readonly repository: string
  readonly runId: string
  readonly runAttempt: string
  readonly serverUrl: string
  readonly env: Env
}): LockHolder {
  const workflow = context.env.GITHUB_WORKFLOW?.trim() || 'unknown workflow'
  const job = context.env.GITHUB_JOB?.trim() || 'unknown job'
  const runUrl = `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
  const nonce = randomUUID().slice(0, 8)
  return {
    identity: `${context.repository} run ${context.runId} attempt ${context.runAttempt} job ${job} ${nonce}`,
    repository: context.repository,
    workflow,
    runUrl,
    attempt: context.runAttempt,
    job,
  }
}

export function holderAnnotations(holder: LockHolder): Record<string, string> {
  return {
    [HOLDER_ANNOTATIONS.repository]: holder.repository,
    [HOLDER_ANNOTATIONS.workflow]: holder.workflow,
    [HOLDER_ANNOTATIONS.runUrl]: holder.runUrl,
    [HOLDER_ANNOTATIONS.attempt]: holder.attempt,
    [HOLDER_ANNOTATIONS.job]: holder.job,
  }
}

/** How a queued deploy names the holder: its run's page and attempt, else its identity. */
export function describeHolder(identity: string, annotations: Readonly<Record<string, string>>): string {
  return printable(holderText(identity, annotations))
}

function holderText(identity: string, annotations: Readonly<Record<string, string>>): string {
  const runUrl = annotations[HOLDER_ANNOTATIONS.runUrl]
  if (runUrl === undefined) return identity
  const attempt = annotations[HOLDER_ANNOTATIONS.attempt]
  const workflow = annotations[HOLDER_ANNOTATIONS.workflow]
  const details = [
    workflow === undefined ? undefined : `workflow "${workflow}"`,
    attempt === undefined || attempt === '1' ? undefined : `attempt ${attempt}`,
  ].filter((part) => part !== undefined)
  return details.length === 0 ? runUrl : `${runUrl} (${details.join(', ')})`
}
