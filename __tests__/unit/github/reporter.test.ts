import {
  GitHubApiError,
  type DeploymentRequest,
  type DeploymentStatus,
  type PastDeployment,
  type DeploymentStatusRequest,
  type GitHubApi,
  type GitHubIdentity,
  type IssueComment,
} from '../../../src/github/api.js'
import { commentMarker, type GitHubParams } from '../../../src/github/plan.js'
import { GitHubReporter } from '../../../src/github/reporter.js'
import type { CheckRunRequest } from '../../../src/github/check-run.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'

/** A GitHubApi in memory that keeps the order of the calls. */
const ACTIONS_BOT: GitHubIdentity = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
const SOMEONE: GitHubIdentity = { login: 'mallory', id: 666, type: 'User' }

class MemoryApi implements GitHubApi {
  /** The token's account as GET /user answers: undefined for an installation token (GITHUB_TOKEN). */
  user: GitHubIdentity | undefined = undefined
  readonly calls: string[] = []
  readonly comments: IssueComment[] = []
  refuse: { readonly what: RegExp; readonly error: GitHubApiError } | undefined
  private check(call: string): void {
    this.calls.push(call)
    if (this.refuse?.what.test(call) === true) throw this.refuse.error
  }
  listIssueComments(issue: number): Promise<readonly IssueComment[]> {
    this.check(`list comments #${issue}`)
    return Promise.resolve([...this.comments])
  }
  createIssueComment(issue: number, body: string): Promise<IssueComment> {
    this.check(`create comment #${issue}`)
    const comment = {
      id: 100 + this.comments.length,
      body,
      url: `https://github.test/c/${100 + this.comments.length}`,
      author: this.user ?? ACTIONS_BOT,
    }
    this.comments.push(comment)
    return Promise.resolve(comment)
  }
  updateIssueComment(id: number, body: string): Promise<IssueComment> {
    this.check(`update comment ${id}`)
    const index = this.comments.findIndex((comment) => comment.id === id)
    const comment = { id, body, url: `https://github.test/c/${id}`, author: this.comments[index]?.author }
    this.comments[index] = comment
    return Promise.resolve(comment)
  }
  authenticatedUser(): Promise<GitHubIdentity | undefined> {
    this.check('who am I')
    return Promise.resolve(this.user)
  }
  readonly payloads: unknown[] = []
  createDeployment(request: DeploymentRequest): Promise<number> {
    this.check(`create deployment ${request.ref} ${request.environment}`)
    this.payloads.push(request.payload)
    return Promise.resolve(42)
  }
  createDeploymentStatus(id: number, status: DeploymentStatusRequest): Promise<void> {
    this.check(
      `status ${id} ${status.state} ${status.environmentUrl ?? '-'} ${status.logUrl} ${status.description}`,
    )
    return Promise.resolve()
  }
  listDeployments(environment: string): Promise<readonly number[]> {
    this.check(`list deployments ${environment}`)
    return Promise.resolve([41, 40])
  }
  /** Earlier deployments of the environment, newest first, with their latest status. */
  past: { id: number; ref: string; description: string; status?: DeploymentStatus }[] = []
  commitDate: string | undefined = undefined
  recentDeployments(environment: string, count: number): Promise<readonly PastDeployment[]> {
    this.check(`recent deployments ${environment} ${count}`)
    return Promise.resolve(this.past.map(({ id, ref, description }) => ({ id, ref, description })))
  }
  latestDeploymentStatus(id: number): Promise<DeploymentStatus | undefined> {
    this.check(`latest status ${id}`)
    return Promise.resolve(this.past.find((d) => d.id === id)?.status)
  }
  commitTime(sha: string): Promise<string | undefined> {
    this.check(`commit time ${sha}`)
    return Promise.resolve(this.commitDate)
  }
  upsertCheckRun(run: CheckRunRequest): Promise<string> {
    this.check(`check run ${run.name} ${run.headSha} ${run.conclusion} ${run.title}`)
    return Promise.resolve('https://github.test/runs/7')
  }
}

const RUN_URL = 'https://github.com/octo-org/octo-repo/actions/runs/4242'
const MARKER = commentMarker('api', 'pr-12')
const params = (overrides: Partial<GitHubParams> = {}): GitHubParams => ({
  token: 'ghs_token',
  apiUrl: 'https://api.github.com',
  repository: 'octo-org/octo-repo',
  runUrl: RUN_URL,
  comment: { issueNumber: 12, marker: MARKER },
  deployment: {
    kind: 'deploy',
    ref: 'a'.repeat(40),
    environment: 'pr-12',
    environmentUrl: 'https://pr-12.example.com',
    description: 'release api in namespace pr-12',
  },
  notices: [],
  ...overrides,
})

function reporter(api: MemoryApi, overrides: Partial<GitHubParams> = {}) {
  const runtime = new FakeRuntime()
  const loaded: string[] = []
  const github = new GitHubReporter(params(overrides), {
    runtime,
    createApi: (apiParams) => {
      loaded.push(`${apiParams.apiUrl} ${apiParams.repository}`)
      return Promise.resolve(api)
    },
    time: (_name, fn) => fn(),
  })
  return { github, runtime, loaded }
}

describe('the GitHub deployment', () => {
  test('created at once, in_progress when deploy starts, success with the environment URL and the log', async () => {
    const api = new MemoryApi()
    const { github, loaded } = reporter(api)
    github.begin()
    github.deployStarting()
    const report = await github.finish(undefined)
    expect(api.calls).toEqual([
      `create deployment ${'a'.repeat(40)} pr-12`,
      `status 42 in_progress - ${RUN_URL} release api in namespace pr-12: in progress`,
      `status 42 success https://pr-12.example.com ${RUN_URL} release api in namespace pr-12: success`,
    ])
    expect(report.deployment).toEqual({
      id: 42,
      environment: 'pr-12',
      state: 'success',
      environmentUrl: 'https://pr-12.example.com',
    })
    expect(loaded).toEqual(['https://api.github.com octo-org/octo-repo'])
  })

  test('a failed run (even before deploy started) marks it failure, with the first line of why', async () => {
    const api = new MemoryApi()
    const { github } = reporter(api)
    github.begin()
    const report = await github.finish('EKS cluster prod refused IAM role ...\nmore')
    expect(api.calls.at(-1)).toBe(`status 42 failure - ${RUN_URL} EKS cluster prod refused IAM role ...`)
    expect(report.deployment?.state).toBe('failure')
  })

  test("a verified deploy's status shows each check's result and time before the outcome", async () => {
    const api = new MemoryApi()
    const { github } = reporter(api)
    github.begin()
    await github.finish(
      'Verification of release api revision 3 (namespace pr-12) failed: GET /healthz: answered 500\nmore',
      'helm test passed 2.1s, GET /healthz failed 8s',
    )
    expect(api.calls.at(-1)).toBe(
      `status 42 failure - ${RUN_URL} helm test passed 2.1s, GET /healthz failed 8s | Verification of release api revision 3 (namespace pr-12) failed: GET /healthz: answered 500`,
    )
  })

  test('a refusal is a warning naming the permission; the step carries on', async () => {
    const api = new MemoryApi()
    api.refuse = {
      what: /^create deployment/,
      error: new GitHubApiError(
        403,
        'Could not create a deployment: Resource not accessible by integration (HTTP 403)',
      ),
    }
    const { github, runtime } = reporter(api)
    github.begin()
    github.deployStarting()
    expect(await github.finish(undefined)).toEqual({ deployment: undefined })
    expect(runtime.logs).toContain(
      'warning: github-deployment: Could not create a deployment: Resource not accessible by integration (HTTP 403) Give the job `permissions:` with `deployments: write` (and `pull-requests: write` for comment-on-pr).',
    )
    expect(api.calls).toEqual([`create deployment ${'a'.repeat(40)} pr-12`])
  })

  test('a teardown marks the environment’s newest deployment inactive, and makes none', async () => {
    const api = new MemoryApi()
    const { github } = reporter(api, { deployment: { ...params().deployment!, kind: 'teardown' } })
    github.begin()
    const report = await github.finish(undefined)
    expect(api.calls).toEqual([
      'list deployments pr-12',
      `status 41 inactive - ${RUN_URL} release api in namespace pr-12: inactive`,
    ])
    expect(report.deployment).toMatchObject({ id: 41, state: 'inactive' })
  })

  test('notices of what is not done are printed first', () => {
    const { github, runtime } = reporter(new MemoryApi(), {
      deployment: undefined,
      notices: ['comment-on-pr: a push has none'],
    })
    github.begin()
    expect(runtime.logs).toEqual(['notice: comment-on-pr: a push has none'])
  })
})

describe('the sticky comment', () => {
  test('made once, then found by its marker and updated: never a second one', async () => {
    const api = new MemoryApi()
    api.comments.push({ id: 7, body: 'an unrelated comment', url: 'u', author: SOMEONE })
    const { github, runtime } = reporter(api, { deployment: undefined })
    await github.comment('first summary')
    await github.comment('second summary')
    expect(api.calls).toEqual([
      'list comments #12',
      'create comment #12',
      'list comments #12',
      'who am I',
      'update comment 101',
    ])
    expect(api.comments).toHaveLength(2)
    expect(api.comments[1]?.body).toMatch(
      new RegExp(`^${MARKER}\\nsecond summary\\n\\n<sub>\\[The run\\]\\(${RUN_URL}\\)`),
    )
    expect(runtime.logs).toEqual([
      'Commented on pull request #12: https://github.test/c/101',
      'Updated the comment on pull request #12: https://github.test/c/101',
    ])
  })

  test("another release's comment is left alone", async () => {
    const api = new MemoryApi()
    api.comments.push({
      id: 5,
      body: `${commentMarker('api', 'pr-13')}\nold`,
      url: 'u',
      author: ACTIONS_BOT,
    })
    const { github } = reporter(api, { deployment: undefined })
    await github.comment('summary')
    expect(api.calls).toEqual(['list comments #12', 'create comment #12'])
  })

  test.each([
    ['a person quoting the marker, GITHUB_TOKEN', undefined, SOMEONE],
    ['another app quoting the marker, GITHUB_TOKEN', undefined, { login: 'evil[bot]', id: 9, type: 'Bot' }],
    ['github-actions[bot], but the token is a PAT', SOMEONE, ACTIONS_BOT],
    ['a deleted account', undefined, undefined],
  ])('%s: never edited, a comment of our own is made', async (_what, user, author) => {
    const api = new MemoryApi()
    api.user = user
    api.comments.push({ id: 5, body: `${MARKER}\nno changes, approve`, url: 'u', author })
    const { github } = reporter(api, { deployment: undefined })
    await github.comment('summary')
    expect(api.calls).toEqual(['list comments #12', 'who am I', 'create comment #12'])
    expect(api.comments[0]?.body).toBe(`${MARKER}\nno changes, approve`)
  })

  test("a PAT's own earlier comment is updated", async () => {
    const api = new MemoryApi()
    api.user = SOMEONE
    api.comments.push({ id: 5, body: `${MARKER}\nold`, url: 'u', author: SOMEONE })
    const { github } = reporter(api, { deployment: undefined })
    await github.comment('summary')
    expect(api.calls).toEqual(['list comments #12', 'who am I', 'update comment 5'])
  })

  test("a fork's read-only token is a notice, and the step carries on", async () => {
    const api = new MemoryApi()
    api.refuse = {
      what: /^create comment/,
      error: new GitHubApiError(
        403,
        'Could not comment on pull request #12: Resource not accessible by integration (HTTP 403)',
      ),
    }
    const { github, runtime } = reporter(api, { deployment: undefined })
    await expect(github.comment('summary')).resolves.toBeUndefined()
    expect(runtime.logs).toEqual([
      'notice: comment-on-pr: the token may not comment on pull request #12 (Could not comment on pull request #12: Resource not accessible by integration (HTTP 403)). A pull request from a fork gets a read-only token; the job summary has the same text.',
    ])
  })

  test('a summary longer than a comment may be is cut', async () => {
    const api = new MemoryApi()
    const { github } = reporter(api, { deployment: undefined })
    await github.comment('x'.repeat(200_000))
    expect(api.comments[0]?.body.length).toBeLessThanOrEqual(65_536)
    expect(api.comments[0]?.body).toContain('(cut: the job summary has all of it)')
  })

  test('nothing is loaded or sent without a pull request to comment on', async () => {
    const { github, loaded } = reporter(new MemoryApi(), { comment: undefined, deployment: undefined })
    github.begin()
    await github.comment('summary')
    expect(await github.finish(undefined)).toEqual({ deployment: undefined })
    expect(loaded).toEqual([])
  })
})

describe('the check run of a dry run', () => {
  const HEAD = 'b'.repeat(40)
  const outcome = {
    release: 'api',
    namespace: 'pr-12',
    counts: { added: 0, changed: 1, removed: 0 },
    hasChanges: true,
    failure: undefined,
    changesMarkdown: '#### What would change',
  }

  test('written on the commit, once per release and namespace', async () => {
    const api = new MemoryApi()
    const { github, runtime } = reporter(api, { checkRun: { kind: 'commit', headSha: HEAD } })
    await github.checkRun(outcome)
    expect(api.calls).toEqual([
      `check run eks-deploy-action: api (pr-12) ${HEAD} neutral 0 to add, 1 to change, 0 to remove`,
    ])
    expect(runtime.logs).toEqual(['Check run on bbbbbbb: https://github.test/runs/7'])
  })

  test('a token without checks: write (403): one warning with the permission, no failure', async () => {
    const api = new MemoryApi()
    api.refuse = {
      what: /^check run/,
      error: new GitHubApiError(403, 'Resource not accessible by integration'),
    }
    const { github, runtime } = reporter(api, { checkRun: { kind: 'commit', headSha: HEAD } })
    await github.checkRun(outcome)
    expect(runtime.logs).toEqual([
      'warning: check run: Resource not accessible by integration Give the job `permissions:` with `checks: write` for a check run of the dry run; the job summary has the same result.',
    ])
  })

  test('from a fork, or no dry run: no API call at all', async () => {
    for (const checkRun of [{ kind: 'none', why: 'a fork' } as const, undefined]) {
      const api = new MemoryApi()
      const { github, loaded } = reporter(api, { checkRun })
      await github.checkRun(outcome)
      expect([api.calls, loaded]).toEqual([[], []])
    }
  })
})

describe("the deploy record's facts from GitHub", () => {
  const DESCRIPTION = 'release api in namespace pr-12'
  const status = (state: string, createdAt: string): DeploymentStatus => ({
    state,
    createdAt,
    logUrl: `${RUN_URL}/${createdAt}`,
  })
  const request = (payloadTime?: string) => ({
    commitSha: 'a'.repeat(40),
    payloadCommitTime: Promise.resolve(payloadTime),
    startPayload: (time: unknown) => ({ schema: 1, time }),
  })

  test("the commit's time asked of GitHub, the earlier failures of the release read, the deployment's payload the start record", async () => {
    const api = new MemoryApi()
    api.commitDate = '2026-12-06T09:00:00Z'
    api.past = [
      { id: 42, ref: 'a'.repeat(40), description: DESCRIPTION },
      {
        id: 41,
        ref: 'b'.repeat(40),
        description: DESCRIPTION,
        status: status('failure', '2026-12-06T08:30:00Z'),
      },
      {
        id: 40,
        ref: 'c'.repeat(40),
        description: 'release web in namespace pr-12',
        status: status('failure', '2026-12-06T08:20:00Z'),
      },
      {
        id: 39,
        ref: 'd'.repeat(40),
        description: DESCRIPTION,
        status: status('error', '2026-12-06T08:10:00Z'),
      },
      {
        id: 38,
        ref: 'e'.repeat(40),
        description: DESCRIPTION,
        status: status('inactive', '2026-12-06T08:00:00Z'),
      },
      {
        id: 37,
        ref: 'f'.repeat(40),
        description: DESCRIPTION,
        status: status('failure', '2026-12-06T07:00:00Z'),
      },
    ]
    const { github, runtime } = reporter(api)
    github.lookUpRecord(request())
    github.begin()
    github.deployStarting()
    const report = await github.finish(undefined)
    expect(api.payloads).toEqual([{ schema: 1, time: { value: '2026-12-06T09:00:00Z' } }])
    expect(report.record).toEqual({
      commitTime: { value: '2026-12-06T09:00:00Z' },
      previousFailure: {
        value: {
          source: 'github-deployments',
          latest: {
            kind: 'failed',
            atMs: Date.parse('2026-12-06T08:30:00Z'),
            deploymentId: 41,
            commitSha: 'b'.repeat(40),
            runUrl: `${RUN_URL}/2026-12-06T08:30:00Z`,
          },
          failures: 2,
          failingSinceMs: Date.parse('2026-12-06T08:10:00Z'),
        },
      },
    })
    // One list, the statuses of the release's other deployments (not its own 42, nor another release's 40).
    expect(api.calls.filter((call) => /^(recent|latest|commit)/.test(call)).sort()).toEqual([
      `commit time ${'a'.repeat(40)}`,
      'latest status 37',
      'latest status 38',
      'latest status 39',
      'latest status 41',
      'recent deployments pr-12 10',
    ])
    expect(runtime.logs.filter((line) => line.startsWith('warning'))).toEqual([])
  })

  test("a time the event gave is not asked for; GitHub's refusal is why the previous failure is unknown, no warning", async () => {
    const api = new MemoryApi()
    api.refuse = {
      what: /^recent deployments/,
      error: new GitHubApiError(403, 'Resource not accessible by integration'),
    }
    const { github, runtime } = reporter(api)
    github.lookUpRecord(request('2026-12-06T09:30:00.000Z'))
    github.begin()
    const report = await github.finish('it failed')
    expect(report.record?.commitTime).toEqual({ value: '2026-12-06T09:30:00.000Z' })
    expect(report.record?.previousFailure).toEqual({
      unknown: expect.stringContaining('`deployments: read`') as unknown,
    })
    expect(api.calls.some((call) => call.startsWith('commit time'))).toBe(false)
    expect(runtime.logs.filter((line) => line.startsWith('warning'))).toEqual([])
  })

  test('a commit GitHub will not show: its time is unknown, with the permission', async () => {
    const api = new MemoryApi()
    api.refuse = { what: /^commit time/, error: new GitHubApiError(404, 'Not Found') }
    const { github } = reporter(api, { deployment: undefined })
    github.lookUpRecord(request())
    const report = await github.finish(undefined)
    expect(report.record).toEqual({
      commitTime: { unknown: expect.stringContaining('`contents: read`') as unknown },
      previousFailure: undefined,
    })
  })
})
