import { planPhases, type Plan } from '../../../src/action/plan.js'
import { commentMarker } from '../../../src/github/plan.js'
import { parseInputs } from '../../../src/inputs/parse.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { inputProblems, mapReader } from '../../fixtures/parsed-inputs.js'
import { ANY_PATH_EXISTS } from '../../fixtures/plan-files.js'

const HEAD = 'b'.repeat(40)
const MERGE = 'c'.repeat(40)
const PUSH = {
  GITHUB_SHA: MERGE,
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_RUN_ID: '77',
  // An earlier step's kubeconfig: these tests deploy without cluster-name.
  KUBECONFIG: '/runner/kubeconfig',
}
const PULL_REQUEST = { ...PUSH, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/runner/event.json' }
const PAYLOAD = { pull_request: { number: 12, head: { sha: HEAD } } }

const DEPLOY = { release: 'api', chart: './charts/api', namespace: 'pr-12' }
const GITHUB = { 'github-token': 'ghs_secret', 'comment-on-pr': 'true' }
const DEPLOYMENT = {
  'github-token': 'ghs_secret',
  'github-deployment': 'true',
  'deployment-environment': 'pr-12',
}

async function planOf(values: Record<string, string>, env: Record<string, string> = PUSH): Promise<Plan> {
  const context = readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: '/tmp' })
  const inputs = parseInputs(mapReader({ 'aws-region': 'eu-west-1', ...values }), context)
  return planPhases(inputs, { readEventPayload: () => Promise.resolve(PAYLOAD), files: ANY_PATH_EXISTS })
}

describe('uninstall: the preview teardown', () => {
  test('release without chart: phase deploy tears down, and no image is needed even when named', async () => {
    const plan = await planOf({
      release: 'api',
      namespace: 'pr-12',
      uninstall: 'true',
      'delete-namespace': 'true',
      'ecr-repository': 'shop/api',
      phases: 'deploy',
    })
    expect(plan.deploy).toBeUndefined()
    expect(plan.ecr).toBeUndefined()
    expect(plan.teardown).toMatchObject({
      release: 'api',
      namespace: 'pr-12',
      shouldDeleteNamespace: true,
      timeout: '5m',
      timeoutSeconds: 300,
    })
  })

  test('with a chart given too (one step for both events), it still tears down', async () => {
    const plan = await planOf({ ...DEPLOY, uninstall: 'true' })
    expect(plan.deploy).toBeUndefined()
    expect(plan.teardown?.release).toBe('api')
  })

  test.each([
    [
      { 'delete-namespace': 'true', namespace: 'pr-12' },
      "Input 'delete-namespace': deletes the namespace after `uninstall: true`",
    ],
    [
      { uninstall: 'true', 'delete-namespace': 'true' },
      "Input 'namespace': is never deleted (delete-namespace refuses default and kube-*)",
    ],
    [{ uninstall: 'true', 'delete-namespace': 'true', namespace: 'kube-system' }, "Received: 'kube-system'"],
    [{ uninstall: 'true', 'dry-run': 'true' }, "Input 'dry-run': cannot be combined with uninstall: true"],
  ])('%j is refused before any AWS call', (values, message) => {
    expect(inputProblems({ release: 'api', ...values })).toContain(message)
  })
})

describe('comment-on-pr', () => {
  test('on a pull request: its number from the event payload, and a marker naming release and namespace', async () => {
    const { github } = await planOf({ ...DEPLOY, ...GITHUB }, PULL_REQUEST)
    expect(github).toEqual({
      token: 'ghs_secret',
      apiUrl: 'https://api.github.com',
      repository: 'octo-org/octo-repo',
      runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/77',
      comment: { issueNumber: 12, marker: commentMarker('api', 'pr-12') },
      deployment: undefined,
      notices: [],
    })
    expect(commentMarker('api', 'pr-12')).toBe('<!-- eks-deploy-action release="api" namespace="pr-12" -->')
  })

  test('on a push there is nothing to comment on: a notice, and the run goes on', async () => {
    const { github } = await planOf({ ...DEPLOY, ...GITHUB })
    expect(github?.comment).toBeUndefined()
    expect(github?.notices).toEqual([
      "comment-on-pr: a 'push' event has no pull request to comment on; the job summary has the report.",
    ])
  })

  test('GitHub Enterprise Server: the API and the log are its own', async () => {
    const env = {
      ...PULL_REQUEST,
      GITHUB_API_URL: 'https://ghe.example.com/api/v3/',
      GITHUB_SERVER_URL: 'https://ghe.example.com',
    }
    const { github } = await planOf({ ...DEPLOY, ...GITHUB }, env)
    expect(github).toMatchObject({
      apiUrl: 'https://ghe.example.com/api/v3',
      runUrl: 'https://ghe.example.com/octo-org/octo-repo/actions/runs/77',
    })
  })

  test('neither asked for: nothing is planned (and no client will be loaded)', async () => {
    expect((await planOf(DEPLOY, PULL_REQUEST)).github).toBeUndefined()
  })
})

describe('github-deployment', () => {
  test('of the commit the image was built from: the pull request head, not the merge commit', async () => {
    const { github } = await planOf(
      { ...DEPLOY, ...DEPLOYMENT, 'environment-url': 'https://pr-12.example.com' },
      PULL_REQUEST,
    )
    expect(github?.deployment).toEqual({
      kind: 'deploy',
      ref: HEAD,
      environment: 'pr-12',
      environmentUrl: 'https://pr-12.example.com',
      description: 'release api in namespace pr-12',
    })
  })

  test("with an image from ECR, the image tag's commit", async () => {
    const plan = await planOf(
      { ...DEPLOY, ...DEPLOYMENT, 'ecr-repository': 'shop/api', registries: '123456789012' },
      PULL_REQUEST,
    )
    expect(plan.ecr?.image?.tag).toEqual({
      tag: HEAD.slice(0, 7),
      origin: `commit ${HEAD} (pull_request.head.sha of the event payload)`,
      commit: HEAD,
    })
    expect(plan.github?.deployment?.ref).toBe(HEAD)
  })

  test('on a push, GITHUB_SHA', async () => {
    expect((await planOf({ ...DEPLOY, ...DEPLOYMENT })).github?.deployment?.ref).toBe(MERGE)
  })

  test('a teardown marks the environment inactive instead', async () => {
    const { github } = await planOf({ release: 'api', namespace: 'pr-12', uninstall: 'true', ...DEPLOYMENT })
    expect(github?.deployment?.kind).toBe('teardown')
  })

  test('a dry run makes none: a notice', async () => {
    const { github } = await planOf({ ...DEPLOY, ...DEPLOYMENT, 'dry-run': 'true' })
    expect(github?.deployment).toBeUndefined()
    expect(github?.notices).toEqual([
      'github-deployment: a dry run deploys nothing, so no GitHub deployment is made.',
    ])
  })

  test('a run without the deploy phase fails, before any AWS call', async () => {
    await expect(
      planOf({
        ...DEPLOY,
        ...DEPLOYMENT,
        phases: 'auth',
        'role-to-assume': 'arn:aws:iam::123456789012:role/x',
      }),
    ).rejects.toThrow('github-deployment: true needs the deploy phase in this run')
  })

  test.each([
    [
      { 'github-deployment': 'true', 'github-token': 't' },
      "Input 'deployment-environment': is required with github-deployment: true",
    ],
    [{ 'comment-on-pr': 'true' }, "Input 'github-token': is required with comment-on-pr: true"],
    [
      { ...DEPLOYMENT, 'environment-url': 'pr-12.example.com' },
      "Input 'environment-url': must be an http(s):// URL",
    ],
    [
      { ...DEPLOYMENT, 'deployment-environment': 'e'.repeat(256) },
      "Input 'deployment-environment': must be at most 255 characters.",
    ],
    [
      { ...DEPLOYMENT, environment: 'production' },
      "Input 'environment': is the old name of 'deployment-environment', which is given too ('pr-12'): remove 'environment'.",
    ],
  ])('%j is refused', (values, message) => {
    expect(inputProblems({ ...DEPLOY, ...values })).toContain(message)
  })
})
