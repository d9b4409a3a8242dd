import { ActionError } from '../../lib/errors.js'
import { DOCKER_TAG_PATTERN } from '../../lib/image-ref.js'
import { isPullRequestEvent } from '../../runner/context.js'
import type { EcrInputs, ShaSource } from '../../inputs/types.js'

const COMMIT_PATTERN = /^[0-9a-f]{40}([0-9a-f]{24})?$/

/** What the runner says about the commit: GITHUB_EVENT_NAME, GITHUB_SHA and the parsed GITHUB_EVENT_PATH. */
export interface CommitContext {
  readonly eventName: string
  readonly sha: string
  /** The event payload; undefined when it was not needed or not there. */
  readonly payload: unknown
}

export interface SelectedCommit {
  readonly sha: string
  /** Where the SHA came from, for the log and for errors. */
  readonly origin: string
}

export interface ImageTag {
  readonly tag: string
  /** `image-tag` when explicit, else the commit it was derived from. */
  readonly origin: string
  /** The commit the tag was derived from (a GitHub deployment names it); absent for an explicit tag. */
  readonly commit?: string
}

/** Which source `auto` means for an event. */
export function effectiveShaSource(source: ShaSource, eventName: string): Exclude<ShaSource, 'auto'> {
  if (source !== 'auto') return source
  if (isPullRequestEvent(eventName)) return 'head'
  return eventName === 'workflow_run' ? 'workflow-run' : 'merge'
}

/** Whether the tag depends on the event payload, so the edge reads GITHUB_EVENT_PATH only then. */
export function needsEventPayload(
  ecr: Pick<EcrInputs, 'imageTag' | 'shaSource'>,
  eventName: string,
): boolean {
  return ecr.imageTag === undefined && effectiveShaSource(ecr.shaSource, eventName) !== 'merge'
}

/**
 * The commit the image was built from: GITHUB_SHA on push (and `merge`); on pull_request* events
 * GITHUB_SHA is the test merge commit, so the PR head is pull_request.head.sha; on workflow_run
 * GITHUB_SHA is the default branch, so the triggering commit is workflow_run.head_sha.
 */
export function selectCommit(source: ShaSource, context: CommitContext): SelectedCommit {
  const effective = effectiveShaSource(source, context.eventName)
  switch (effective) {
    case 'merge':
      return checkCommit(context.sha, 'GITHUB_SHA', source, context.eventName)
    case 'head':
      return checkCommit(
        readPath(context.payload, ['pull_request', 'head', 'sha']),
        'pull_request.head.sha of the event payload',
        source,
        context.eventName,
      )
    case 'workflow-run':
      return checkCommit(
        readPath(context.payload, ['workflow_run', 'head_sha']),
        'workflow_run.head_sha of the event payload',
        source,
        context.eventName,
      )
  }
}

function readPath(value: unknown, keys: readonly string[]): unknown {
  let current = value
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

function checkCommit(value: unknown, origin: string, source: ShaSource, eventName: string): SelectedCommit {
  const sha = typeof value === 'string' ? value.trim().toLowerCase() : ''
  if (COMMIT_PATTERN.test(sha)) return { sha, origin }
  const received = typeof value === 'string' && value !== '' ? `'${value}'` : 'nothing'
  throw new ActionError(
    `Cannot derive the image tag: sha-source '${source}' on a '${eventName}' event reads the commit from ${origin}, which holds ${received}, not a commit SHA.`,
    {
      hint:
        source === 'auto'
          ? "Set 'image-tag' explicitly (a run outside GitHub Actions has no GITHUB_SHA or event payload)."
          : `Use 'sha-source: auto' (it picks the right commit for each event), or set 'image-tag' explicitly.`,
    },
  )
}

/** `<prefix><first tagLength characters of the SHA><suffix>`, checked against Docker's tag rule. */
export function formatImageTag(
  commit: SelectedCommit,
  options: Pick<EcrInputs, 'tagLength' | 'tagPrefix' | 'tagSuffix'>,
): string {
  const tag = `${options.tagPrefix}${commit.sha.slice(0, options.tagLength)}${options.tagSuffix}`
  checkDockerTag(tag, `derived from ${commit.origin} with tag-prefix/tag-length/tag-suffix`)
  return tag
}

export function checkDockerTag(tag: string, origin: string): void {
  if (DOCKER_TAG_PATTERN.test(tag)) return
  throw new ActionError(
    `The image tag '${tag}' (${origin}) is not a valid Docker tag: it must be 1-128 characters from letters, digits, _, . and -, and must not start with . or -.`,
    {
      hint: "Change 'tag-prefix' (it must not start with . or -) or shorten 'tag-prefix'/'tag-suffix', or set 'image-tag' explicitly.",
    },
  )
}

/** The explicit `image-tag`, else the one derived from the commit. Pure: the caller reads the payload. */
export function resolveImageTag(ecr: EcrInputs, context: CommitContext): ImageTag {
  if (ecr.imageTag !== undefined) return { tag: ecr.imageTag, origin: "input 'image-tag'" }
  const commit = selectCommit(ecr.shaSource, context)
  return {
    tag: formatImageTag(commit, ecr),
    origin: `commit ${commit.sha} (${commit.origin})`,
    commit: commit.sha,
  }
}
