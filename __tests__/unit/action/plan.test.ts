import { ActionError } from '../../../src/lib/errors.js'
import { planPhases, type Plan } from '../../../src/action/plan.js'
import { parseInputs } from '../../../src/inputs/parse.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'
import { ANY_PATH_EXISTS } from '../../fixtures/plan-files.js'

/** Inputs as a run with this job environment reads them (nothing from the test process). */
const inputsFrom = (values: Record<string, string>, env: Record<string, string> = {}) =>
  parseInputs(mapReader(values), readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: '/tmp' }))

const ROLE = 'arn:aws:iam::123456789012:role/deploy'
const AUTH = { 'role-to-assume': ROLE }
const ECR = { 'ecr-repository': 'shop/api' }
const KUBE = { 'cluster-name': 'prod' }
const DEPLOY = { release: 'api', chart: './charts/api' }
const ALL = { ...AUTH, ...ECR, ...KUBE, ...DEPLOY }

const NO_PAYLOAD = {
  readEventPayload: () => Promise.reject(new Error('the payload is not needed here')),
  files: ANY_PATH_EXISTS,
}

// An earlier step's kubeconfig, for the plans that deploy without cluster-name.
const SHA = { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', KUBECONFIG: '/runner/kubeconfig' }
const planOf = (values: Record<string, string>, env: Record<string, string> = SHA): Promise<Plan> =>
  planPhases(inputsFrom({ 'aws-region': 'eu-west-1', ...values }, env), NO_PAYLOAD)

/** Which phases run: the plan's shape as booleans. */
async function plan(values: Record<string, string>) {
  const planned = await planOf(values)
  return {
    auth: planned.auth !== undefined,
    ecrLogin: planned.ecr?.login !== undefined,
    kubeconfig: planned.kubeconfig !== undefined,
    deploy: planned.deploy !== undefined,
    checkImage: planned.ecr?.image?.shouldCheck === true,
  }
}

async function planFailure(values: Record<string, string>): Promise<ActionError> {
  try {
    await planOf(values)
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error(`planPhases accepted ${JSON.stringify(values)}`)
}

describe('auto: a phase runs when its inputs are given', () => {
  test.each([
    [AUTH, { auth: true, ecrLogin: false, kubeconfig: false, deploy: false, checkImage: false }],
    [ECR, { auth: false, ecrLogin: true, kubeconfig: false, deploy: false, checkImage: false }],
    [
      { registries: '123456789012' },
      { auth: false, ecrLogin: true, kubeconfig: false, deploy: false, checkImage: false },
    ],
    [KUBE, { auth: false, ecrLogin: false, kubeconfig: true, deploy: false, checkImage: false }],
    [DEPLOY, { auth: false, ecrLogin: false, kubeconfig: false, deploy: true, checkImage: false }],
    [
      { ...AUTH, ...KUBE },
      { auth: true, ecrLogin: false, kubeconfig: true, deploy: false, checkImage: false },
    ],
    [ALL, { auth: true, ecrLogin: true, kubeconfig: true, deploy: true, checkImage: true }],
    [
      { ...AUTH, release: 'api' },
      { auth: true, ecrLogin: false, kubeconfig: false, deploy: false, checkImage: false },
    ],
    [
      { ...AUTH, chart: './charts/api' },
      { auth: true, ecrLogin: false, kubeconfig: false, deploy: false, checkImage: false },
    ],
  ])('%j', async (values, expected) => {
    expect(await plan(values)).toEqual(expected)
  })
})

describe('an explicit list runs exactly those phases', () => {
  test.each([
    ['auth,ecr-login', { auth: true, ecrLogin: true, kubeconfig: false, deploy: false }],
    ['kubeconfig,deploy', { auth: false, ecrLogin: false, kubeconfig: true, deploy: true }],
    ['deploy', { auth: false, ecrLogin: false, kubeconfig: false, deploy: true }],
    ['auth,ecr-login,kubeconfig,deploy', { auth: true, ecrLogin: true, kubeconfig: true, deploy: true }],
  ])('%s', async (phases, expected) => {
    expect(await plan({ ...ALL, phases })).toMatchObject(expected)
  })

  test.each([
    ['auth', {}, ['auth'], ['role-to-assume: arn:aws:iam::123456789012:role/deploy']],
    ['ecr-login', {}, ['ecr-login'], ['ecr-repository: shop/api', 'registries: 123456789012']],
    ['kubeconfig', {}, ['kubeconfig'], ['cluster-name: my-cluster']],
    ['deploy', { release: 'api' }, ['deploy'], ['release: my-app\n  chart: ./charts/my-app']],
    ['auth,kubeconfig,deploy', AUTH, ['kubeconfig, deploy'], ['cluster-name: my-cluster', 'release: my-app']],
  ])('%s without its inputs fails, with the YAML that fixes it', async (phases, values, named, yaml) => {
    const error = await planFailure({ ...values, phases })
    expect(error.message).toContain("Input 'phases' asks for")
    for (const text of named) expect(error.message).toContain(text)
    expect(error.hint).toContain('Add under `with:`')
    for (const text of yaml) expect(error.hint).toContain(text)
  })

  test('says "it lacks" for one phase and "they lack" for several', async () => {
    expect((await planFailure({ phases: 'kubeconfig' })).message).toContain('it lacks required inputs')
    expect((await planFailure({ phases: 'kubeconfig,deploy' })).message).toContain(
      'they lack required inputs',
    )
  })

  test('a listed phase that has its inputs is not reported', async () => {
    expect((await planFailure({ ...AUTH, phases: 'auth,kubeconfig' })).message).not.toMatch(/asks for .*auth/)
  })
})

describe('nothing to do', () => {
  test.each([{}, { release: 'api' }, { 'chart-repository': '' }])('%j', async (values) => {
    const error = await planFailure(values)
    expect(error.message).toContain('Nothing to do')
    for (const yaml of ['role-to-assume:', 'ecr-repository:', 'cluster-name:', 'release:', 'chart:'])
      expect(error.hint).toContain(yaml)
  })
})

describe('checkImage', () => {
  test.each([
    ['no ecr-repository: never', { ...AUTH, ...DEPLOY, 'require-image': 'true' }, false],
    ['auto, deploy runs: yes', { ...ECR, ...DEPLOY }, true],
    ['auto, no deploy: no', { ...ECR, ...KUBE }, false],
    ['true without deploy: yes', { ...ECR, 'require-image': 'true' }, true],
    ['false with deploy: no', { ...ECR, ...DEPLOY, 'require-image': 'false' }, false],
    ['auto, deploy listed explicitly: yes', { ...ECR, ...DEPLOY, phases: 'deploy' }, true],
    ['auto, deploy left out of the list: no', { ...ECR, ...DEPLOY, phases: 'ecr-login' }, false],
  ])('%s', async (_name, values, expected) => {
    expect((await plan(values)).checkImage).toBe(expected)
  })
})

describe('the parameters each phase receives', () => {
  test('auth: the role and session settings, and the runner ID token request', async () => {
    const planned = await planOf(
      { ...AUTH, 'role-duration-seconds': '1800', audience: 'sts.amazonaws.com' },
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer' },
    )
    expect(planned.auth).toMatchObject({
      region: 'eu-west-1',
      roleArn: ROLE,
      durationSeconds: 1800,
      idTokenRequest: { url: 'https://token.example/x', bearer: 'bearer' },
    })
  })

  test('deploy: release and chart proven present, the helm to install, the job environment', async () => {
    const planned = await planOf(DEPLOY, { HOME: '/home/runner' })
    expect(planned.deploy?.spec).toMatchObject({ release: 'api' })
    expect(planned.deploy?.source).toEqual({ kind: 'chart', chart: { kind: 'path', path: './charts/api' } })
    expect(planned.deploy?.helm).toMatchObject({ helmVersion: { kind: 'release', version: 'v4.1.4' } })
    expect(planned.deploy?.jobEnv.HOME).toBe('/home/runner')
  })

  test('kubeconfig: the STS endpoint the tokens name comes from the job environment', async () => {
    const planned = await planOf(KUBE, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000' })
    expect(planned.kubeconfig).toMatchObject({ clusterName: 'prod', stsEndpoint: 'http://127.0.0.1:5000' })
  })

  test('the image tag is derived from the commit, reading the event payload only when it depends on it', async () => {
    let reads = 0
    const readEventPayload = () => {
      reads++
      return Promise.resolve({ pull_request: { head: { sha: 'f'.repeat(40) } } })
    }
    const push = await planPhases(
      inputsFrom({ ...ECR, 'aws-region': 'eu-west-1' }, { GITHUB_SHA: 'a'.repeat(40) }),
      {
        readEventPayload,
        files: ANY_PATH_EXISTS,
      },
    )
    expect(push.ecr?.image?.tag.tag).toBe('aaaaaaa')
    expect(reads).toBe(0)
    const pr = await planPhases(
      inputsFrom(
        { ...ECR, 'aws-region': 'eu-west-1' },
        { GITHUB_SHA: 'a'.repeat(40), GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/event.json' },
      ),
      { readEventPayload, files: ANY_PATH_EXISTS },
    )
    expect(pr.ecr?.image?.tag.tag).toBe('fffffff')
    expect(reads).toBe(1)
  })

  test('an image tag that cannot be derived fails the plan, before any AWS call', async () => {
    await expect(planOf({ ...ECR }, {})).rejects.toThrow(/Cannot derive the image tag/)
  })

  test('no image is planned when no phase needs it (auth only, with ecr-repository set)', async () => {
    const planned = await planOf({ ...AUTH, ...ECR, phases: 'auth' }, {})
    expect(planned.ecr).toBeUndefined()
  })
})
