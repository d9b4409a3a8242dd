import { promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { makeRunnerFiles, runAction, type ActionRun, type RunnerFiles } from '../fixtures/action-runner.js'
import { listenOnLoopback, type LoopbackServer } from '../fixtures/loopback-server.js'

/**
 * The mistakes of a first deploy, through the bundled action as the runner starts it: each fails
 * with one message naming what to fix, in the phase that found it, before any request leaves the
 * process. Every AWS endpoint, the OIDC token endpoint and the helm mirror point at one loopback
 * server that records whatever reaches it: it must record nothing.
 */
describe('first mistakes, bundled action: refused before any network call', () => {
  let files: RunnerFiles & { cleanup(): Promise<void> }
  let server: LoopbackServer
  const requests: string[] = []

  beforeAll(async () => {
    server = await listenOnLoopback(
      http.createServer((request, response) => {
        requests.push(`${request.method ?? ''} ${request.url ?? ''}`)
        response.writeHead(500).end()
      }),
    )
  })
  afterAll(async () => {
    await server.stop()
  })
  beforeEach(async () => {
    requests.length = 0
    files = await makeRunnerFiles()
    // The checkout: the chart the step names is there, unless a test says otherwise.
    await fs.mkdir(path.join(files.dir, 'charts', 'api'), { recursive: true })
    await fs.writeFile(
      path.join(files.dir, 'charts', 'api', 'Chart.yaml'),
      'apiVersion: v2\nname: api\nversion: 1.0.0\n',
    )
  })
  afterEach(async () => {
    await files.cleanup()
  })

  /** The quick start's step, as a user pastes it. */
  const STEP = {
    'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
    'aws-region': 'eu-west-1',
    'ecr-repository': 'shop/api',
    'cluster-name': 'prod',
    release: 'api',
    chart: './charts/api',
    namespace: 'shop',
  }

  async function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({
      files,
      inputs,
      env: {
        AWS_ENDPOINT_URL: server.url,
        ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/token`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-bearer',
        ...env,
      },
    })
  }

  /** The one ::error:: line, decoded as the runner shows it. */
  const errorOf = (run: ActionRun): string =>
    (/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '').replace(/%0A/g, '\n').replace(/%25/g, '%')

  /** The step failed, in `phase`, with nothing sent anywhere and nothing written for later steps. */
  function expectRefused(run: ActionRun, phase: string): void {
    expect(run.exitCode).toBe(1)
    expect(requests).toEqual([])
    expect([run.outputs, run.exportedEnv]).toEqual([{}, {}])
    expect(run.summary).toContain(`#### The step failed in phase ${phase}`)
  }

  test.each([
    ['ecr_repository', 'shop/api', "Unknown input 'ecr_repository': did you mean 'ecr-repository'?"],
    ['cluster_name', 'prod', "Unknown input 'cluster_name': did you mean 'cluster-name'?"],
    ['relase', 'api', "Unknown input 'relase': did you mean 'release'?"],
  ])('a misspelled input, %s', async (key, value, message) => {
    const correct = key === 'relase' ? 'release' : key.replace('_', '-')
    const result = await run({ ...STEP, [correct]: '', [key]: value })
    expectRefused(result, 'inputs')
    expect(errorOf(result)).toContain(`Invalid input:\n- ${message}`)
    expect(result.summary).toContain(message)
  })

  test('no cluster-name and no KUBECONFIG: set cluster-name', async () => {
    const result = await run({ ...STEP, 'cluster-name': '' })
    expectRefused(result, 'plan')
    expect(errorOf(result)).toContain(
      "Phase deploy has no cluster to talk to: input 'cluster-name' is empty, and the job has no KUBECONFIG (nor ~/.kube/config): set cluster-name (or run after a step that exports KUBECONFIG).",
    )
  })

  test('a chart path that is not there: did the job run actions/checkout?', async () => {
    const result = await run({ ...STEP, chart: './charts/web' })
    expectRefused(result, 'plan')
    expect(errorOf(result)).toContain(
      `Input 'chart': './charts/web' does not exist (relative to the workspace GITHUB_WORKSPACE=${files.dir}; did the job run actions/checkout?).`,
    )
  })

  test('a values file that is not there, named with the chart', async () => {
    const result = await run({ ...STEP, 'values-files': 'values/prod.yaml' })
    expectRefused(result, 'plan')
    expect(errorOf(result)).toContain(
      `Input 'values-files': 'values/prod.yaml' does not exist (relative to the workspace GITHUB_WORKSPACE=${files.dir}; did the job run actions/checkout?).`,
    )
  })

  test('deployment-environment and its old name environment both given', async () => {
    const result = await run({
      ...STEP,
      'github-deployment': 'true',
      'deployment-environment': 'production',
      environment: 'staging',
    })
    expectRefused(result, 'inputs')
    expect(errorOf(result)).toContain(
      "Input 'environment': is the old name of 'deployment-environment', which is given too ('production'): remove 'environment'.",
    )
  })

  test('a deploy that sets no image: a warning in the log and the summary (the run then goes on)', async () => {
    // No ecr-repository and no image values. Deploy alone, to an earlier step's cluster, with a helm
    // that is not on the PATH: the run goes on after the plan's warning and stops at helm, sending nothing.
    const result = await run(
      { ...STEP, 'role-to-assume': '', 'ecr-repository': '', 'cluster-name': '', 'helm-version': 'system' },
      { KUBECONFIG: path.join(files.dir, 'kubeconfig'), PATH: path.join(files.dir, 'no-bin') },
    )
    const warning =
      "No image is set for release 'api': no ecr-repository and no image values in set, set-string or values-files, so the chart's default image will run."
    expect(result.stdout).toContain(`::warning::${warning}`)
    expect(result.summary).toContain('#### Warnings')
    // The summary escapes outside text (quotes become character references); GitHub renders them as quotes.
    expect(result.summary).toContain('- No image is set for release &#39;api&#39;')
    expect(result.exitCode).toBe(1)
    expect(requests).toEqual([])
  })
})
