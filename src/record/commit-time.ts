import { isPullRequestEvent } from '../runner/context.js'

/**
 * The time of the commit deployed, when the event payload says it: a push's head_commit.timestamp,
 * a workflow_run's head_commit.timestamp, each only when that commit is the one deployed. A pull
 * request's payload has no time of its head: undefined (GitHub's commit endpoint is asked instead).
 * https://docs.github.com/webhooks/webhook-events-and-payloads
 */
export function commitTimeOfPayload(eventName: string, sha: string, payload: unknown): string | undefined {
  if (isPullRequestEvent(eventName)) return undefined
  const head =
    eventName === 'workflow_run'
      ? objectAt(objectAt(payload, 'workflow_run'), 'head_commit')
      : objectAt(payload, 'head_commit')
  const id = head?.id
  const timestamp = head?.timestamp
  if (id !== sha || typeof timestamp !== 'string' || !Number.isFinite(Date.parse(timestamp))) return undefined
  return new Date(Date.parse(timestamp)).toISOString()
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const inner = (value as Record<string, unknown>)[key]
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : undefined
}
