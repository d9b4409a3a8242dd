import type { GitHubApi, GitHubIdentity, IssueComment } from './api.js'

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
 * One comment per release and namespace on the pull request: the action's own comment holding
 * `marker` is updated, or, when there is none yet, one is made. Never a second, and never another
 * author's comment: the marker is no secret, anyone can quote it (see isOwnComment).
 */
export async function upsertStickyComment(
  api: GitHubApi,
  params: { readonly issueNumber: number; readonly marker: string; readonly body: string },
): Promise<{ readonly comment: IssueComment; readonly isNew: boolean }> {
  const comments = await api.listIssueComments(params.issueNumber)
  const marked = comments.filter((comment) => comment.body.includes(params.marker))
  // Only asked when there is a candidate: the first comment of a pull request costs no extra call.
  const self = marked.length === 0 ? undefined : await api.authenticatedUser()
  const existing = marked.find((comment) => isOwnComment(comment, self))
  if (existing !== undefined)
    return { comment: await api.updateIssueComment(existing.id, params.body), isNew: false }
  return { comment: await api.createIssueComment(params.issueNumber, params.body), isNew: true }
}

/**
 * Whether the token's identity wrote the comment. A token of a user (a PAT) knows its account
 * (`self`, from GET /user): the comment's author must be that account. An installation token gets
 * no answer there; GITHUB_TOKEN, the default, writes as github-actions[bot] (a Bot account no
 * person can sign in as), so only that bot's comments are candidates. Another app's installation
 * token then finds none and makes a new comment each run: a duplicate, never someone else's text.
 */
function isOwnComment(comment: IssueComment, self: GitHubIdentity | undefined): boolean {
  const { author } = comment
  if (author === undefined) return false
  if (self !== undefined) return author.id === self.id && author.login === self.login
  return author.type === 'Bot' && author.login === ACTIONS_BOT
}

const ACTIONS_BOT = 'github-actions[bot]'
