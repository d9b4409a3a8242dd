import type { GitHubApi, IssueComment } from './api.js'

// GitHub refuses a comment body over 65536 characters.
const MAX_BODY = 65_000

/** The marker first (hidden), then the text, cut to what GitHub accepts. */
export function commentBody(marker: string, markdown: string, runUrl: string): string {
  const footer = `\n\n<sub>[The run](${runUrl}) of eks-deploy-action; this comment is updated by every run.</sub>\n`
  const room = MAX_BODY - marker.length - footer.length - 100
  const text =
    markdown.length <= room ? markdown : `${markdown.slice(0, room)}\n\n(cut: the job summary has all of it)`
  return `${marker}\n${text}${footer}`
}

/**
 * One comment per release and namespace on the pull request: the one holding `marker` is updated,
 * or, when there is none yet, one is made. Never a second.
 */
export async function upsertStickyComment(
  api: GitHubApi,
  params: { readonly issueNumber: number; readonly marker: string; readonly body: string },
): Promise<{ readonly comment: IssueComment; readonly isNew: boolean }> {
  const comments = await api.listIssueComments(params.issueNumber)
  const existing = comments.find((comment) => comment.body.includes(params.marker))
  if (existing !== undefined)
    return { comment: await api.updateIssueComment(existing.id, params.body), isNew: false }
  return { comment: await api.createIssueComment(params.issueNumber, params.body), isNew: true }
}
