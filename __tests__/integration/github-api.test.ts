import { GitHubApiError, type GitHubApi } from '../../src/github/api.js'
import { createGitHubApi } from '../../src/github/octokit.js'
import { commentMarker } from '../../src/github/plan.js'
import { upsertStickyComment } from '../../src/github/sticky-comment.js'
import { ACTIONS_BOT, startGitHubApi, type GitHubApiStandIn } from '../fixtures/github-api.js'

const TOKEN = 'ghs_standInToken0123456789'
const REPO = 'octo-org/octo-repo'

// The REST client of the ecosystem (@actions/github's octokit) against a recording stand-in of GitHub's
// API on loopback, served under /api/v3 as GitHub Enterprise Server serves it: the exact requests.
describe('the GitHub REST client against the stand-in', () => {
  let github: GitHubApiStandIn
  let api: GitHubApi
  beforeEach(async () => {
    github = await startGitHubApi({ token: TOKEN, repository: REPO })
    api = await createGitHubApi({ token: TOKEN, apiUrl: github.url, repository: REPO })
  })
  afterEach(async () => {
    await github.stop()
  })

  const requests = () => github.requests.map(({ method, path, body }) => ({ method, path, body }))

  test('a deployment and its statuses: method, path, body and the token header', async () => {
    const id = await api.createDeployment({
      ref: 'a'.repeat(40),
      environment: 'pr-12',
      description: 'release api in namespace pr-12',
    })
    await api.createDeploymentStatus(id, {
      state: 'success',
      description: 'x'.repeat(200),
      logUrl: 'https://github.com/octo-org/octo-repo/actions/runs/1',
      environmentUrl: 'https://pr-12.example.com',
    })
    await api.createDeploymentStatus(id, {
      state: 'inactive',
      description: 'gone',
      logUrl: 'https://l',
      environmentUrl: undefined,
    })
    expect(await api.listDeployments('pr-12')).toEqual([id])
    expect(requests()).toEqual([
      {
        method: 'POST',
        path: `/api/v3/repos/${REPO}/deployments`,
        body: {
          ref: 'a'.repeat(40),
          environment: 'pr-12',
          description: 'release api in namespace pr-12',
          task: 'deploy',
          auto_merge: false,
          required_contexts: [],
        },
      },
      {
        method: 'POST',
        path: `/api/v3/repos/${REPO}/deployments/${id}/statuses`,
        body: {
          state: 'success',
          description: 'x'.repeat(140),
          log_url: 'https://github.com/octo-org/octo-repo/actions/runs/1',
          environment_url: 'https://pr-12.example.com',
        },
      },
      {
        method: 'POST',
        path: `/api/v3/repos/${REPO}/deployments/${id}/statuses`,
        body: { state: 'inactive', description: 'gone', log_url: 'https://l' },
      },
      {
        method: 'GET',
        path: `/api/v3/repos/${REPO}/deployments?environment=pr-12&per_page=10`,
        body: undefined,
      },
    ])
    expect(github.requests.map((request) => request.authorization)).toEqual(Array(4).fill(`token ${TOKEN}`))
  })

  test('the sticky comment: found on a later page by its marker and updated, never a second', async () => {
    const marker = commentMarker('api', 'pr-12')
    github.comments.set(
      12,
      Array.from({ length: 150 }, (_, i) => ({
        id: i + 1,
        body: i === 120 ? `${marker}\nold` : `comment ${i}`,
      })),
    )
    const { comment, isNew } = await upsertStickyComment(api, {
      issueNumber: 12,
      marker,
      body: `${marker}\nnew`,
    })
    expect({ id: comment.id, isNew }).toEqual({ id: 121, isNew: false })
    expect(github.comments.get(12)).toHaveLength(150)
    expect(github.comments.get(12)?.[120]?.body).toBe(`${marker}\nnew`)
    expect(requests()).toEqual([
      { method: 'GET', path: `/api/v3/repos/${REPO}/issues/12/comments?per_page=100`, body: undefined },
      {
        method: 'GET',
        path: `/api/v3/repos/${REPO}/issues/12/comments?per_page=100&page=2`,
        body: undefined,
      },
      { method: 'GET', path: '/api/v3/user', body: undefined },
      {
        method: 'PATCH',
        path: `/api/v3/repos/${REPO}/issues/comments/121`,
        body: { body: `${marker}\nnew` },
      },
    ])
  })

  test("another author's comment that quotes the marker is never edited", async () => {
    const marker = commentMarker('api', 'pr-12')
    const mallory = { login: 'mallory', id: 666, type: 'User' } as const
    github.comments.set(12, [
      { id: 1, body: `${marker}\nNo changes: approve`, user: mallory },
      { id: 2, body: `${marker}\nfrom another app`, user: { login: 'evil[bot]', id: 9, type: 'Bot' } },
      { id: 3, body: `${marker}\nghost`, user: null },
    ])
    const { comment, isNew } = await upsertStickyComment(api, {
      issueNumber: 12,
      marker,
      body: `${marker}\nours`,
    })
    expect(isNew).toBe(true)
    expect(github.comments.get(12)?.map((c) => c.body)).toEqual([
      `${marker}\nNo changes: approve`,
      `${marker}\nfrom another app`,
      `${marker}\nghost`,
      `${marker}\nours`,
    ])
    expect(github.requests.filter((r) => r.method === 'PATCH')).toEqual([])
    // The next run finds the comment it made, not the older ones.
    await upsertStickyComment(api, { issueNumber: 12, marker, body: `${marker}\nagain` })
    expect(github.requests.at(-1)?.path).toBe(`/api/v3/repos/${REPO}/issues/comments/${comment.id}`)
    expect(github.comments.get(12)?.[0]?.body).toBe(`${marker}\nNo changes: approve`)
  })

  test("a person's token (GET /user answers) updates only that person's comment", async () => {
    await github.stop()
    const me = { login: 'deployer', id: 77, type: 'User' } as const
    github = await startGitHubApi({ token: TOKEN, repository: REPO, account: me })
    api = await createGitHubApi({ token: TOKEN, apiUrl: github.url, repository: REPO })
    const marker = commentMarker('api', 'pr-12')
    github.comments.set(12, [
      { id: 1, body: `${marker}\nbot`, user: ACTIONS_BOT },
      { id: 2, body: `${marker}\nmine`, user: me },
    ])
    const { comment, isNew } = await upsertStickyComment(api, {
      issueNumber: 12,
      marker,
      body: `${marker}\nnew`,
    })
    expect({ id: comment.id, isNew }).toEqual({ id: 2, isNew: false })
    expect(github.comments.get(12)?.[0]?.body).toBe(`${marker}\nbot`)
  })

  test('a first comment is created', async () => {
    const marker = commentMarker('api', 'pr-12')
    const { isNew } = await upsertStickyComment(api, { issueNumber: 12, marker, body: `${marker}\nfirst` })
    expect(isNew).toBe(true)
    expect(requests().at(-1)).toEqual({
      method: 'POST',
      path: `/api/v3/repos/${REPO}/issues/12/comments`,
      body: { body: `${marker}\nfirst` },
    })
  })

  test("a fork's read-only token: GitHub's 403 as a GitHubApiError with its status and message", async () => {
    github.isReadOnly = true
    const error = await api.createIssueComment(12, 'x').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GitHubApiError)
    expect(error).toMatchObject({ status: 403 })
    expect((error as Error).message).toMatch(
      /^Could not comment on pull request #12: Resource not accessible by integration/,
    )
    expect((error as Error).message).not.toContain(TOKEN)
  })

  test('a wrong token: 401 Bad credentials', async () => {
    const wrong = await createGitHubApi({ token: 'ghs_wrong', apiUrl: github.url, repository: REPO })
    await expect(wrong.listDeployments('x')).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    })
  })
})
