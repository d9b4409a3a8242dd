/**
 * The check run of a dry run, one per release and namespace on the commit it was asked for: what the
 * Checks API is sent (POST /repos/{owner}/{repo}/check-runs, or PATCH of the run of the same name).
 * https://docs.github.com/rest/checks/runs
 */
export interface CheckRunRequest {
  readonly name: string
  readonly headSha: string
  readonly conclusion: 'success' | 'neutral' | 'failure'
  readonly title: string
  /** At most MAX_OUTPUT_CHARS (GitHub refuses more). */
  readonly summary: string
}

/** GitHub's limit of a check run's output.summary (and output.text): 65535 characters. */
export const MAX_OUTPUT_CHARS = 65_535

/** Where the check run goes, or why there is none in this run (said once, as a notice). */
export type CheckRunTarget =
  { readonly kind: 'commit'; readonly headSha: string } | { readonly kind: 'none'; readonly why: string }

/**
 * The commit the dry run answers for: the pull request's head (GITHUB_SHA is its test merge, which no
 * one sees), else GITHUB_SHA. A pull request from a fork gets a read-only token: summary only, no write.
 */
export function checkRunTarget(eventName: string, sha: string, payload: unknown): CheckRunTarget {
  if (!eventName.startsWith('pull_request')) return { kind: 'commit', headSha: sha }
  const pull = objectAt(payload, 'pull_request')
  const head = objectAt(pull, 'head')
  const headSha = head?.sha
  const headRepo = objectAt(head, 'repo')?.full_name
  const baseRepo = objectAt(objectAt(pull, 'base'), 'repo')?.full_name
  if (typeof headSha !== 'string') return { kind: 'commit', headSha: sha }
  if (typeof headRepo !== 'string' || headRepo !== baseRepo)
    return {
      kind: 'none',
      why: `a pull request from a fork (${typeof headRepo === 'string' ? headRepo : 'a deleted repository'}) gets a read-only token, so the dry run's result is in the job summary only, not in a check run.`,
    }
  return { kind: 'commit', headSha }
}

/** What the dry run found, as the check run needs it. */
export interface DryRunOutcome {
  readonly release: string
  readonly namespace: string
  /** undefined: the dry run failed before it could tell. */
  readonly counts: { readonly added: number; readonly changed: number; readonly removed: number } | undefined
  readonly hasChanges: boolean
  /** The step fails on changes (fail-on-changes) or failed (the reason). */
  readonly failure: string | undefined
  /** The job summary's markdown of the changes (already escaped and redacted). */
  readonly changesMarkdown: string
}

export function checkRunOf(outcome: DryRunOutcome, headSha: string): CheckRunRequest {
  const { counts } = outcome
  const title =
    counts === undefined
      ? 'The dry run failed'
      : outcome.hasChanges
        ? `${counts.added} to add, ${counts.changed} to change, ${counts.removed} to remove`
        : 'No changes'
  const conclusion = outcome.failure !== undefined ? 'failure' : outcome.hasChanges ? 'neutral' : 'success'
  const head = [
    `Release \`${outcome.release}\` in namespace \`${outcome.namespace}\`: ${title.toLowerCase()}.`,
    ...(outcome.failure === undefined ? [] : ['', `**Failed:** ${outcome.failure}`]),
    '',
  ].join('\n')
  return {
    name: checkRunName(outcome.release, outcome.namespace),
    headSha,
    conclusion,
    title,
    summary: truncated(`${head}\n${outcome.changesMarkdown}`),
  }
}

/** `eks-deploy-action: api (shop)`: found again by the next dry run of the release on the commit. */
const checkRunName = (release: string, namespace: string): string =>
  `eks-deploy-action: ${release} (${namespace})`

const CUT_NOTE =
  "\n\n… cut at GitHub's limit of a check run (65535 characters): the job summary has all of it."

/** Cut at a line's end, so no markdown table row or code fence is left half written. */
function truncated(text: string): string {
  if (text.length <= MAX_OUTPUT_CHARS) return text
  const room = MAX_OUTPUT_CHARS - CUT_NOTE.length - 4
  const cut = text.lastIndexOf('\n', room)
  const kept = text.slice(0, cut > 0 ? cut : room)
  // A code fence left open would swallow the note.
  const isFenceOpen = (kept.match(/^```/gm)?.length ?? 0) % 2 === 1
  return `${kept}${isFenceOpen ? '\n```' : ''}${CUT_NOTE}`
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const inner = (value as Record<string, unknown>)[key]
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : undefined
}
