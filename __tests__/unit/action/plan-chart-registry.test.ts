import { planPhases, type Plan } from '../../../src/action/plan.js'
import { parseInputs } from '../../../src/inputs/parse.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'
import { ANY_PATH_EXISTS } from '../../fixtures/plan-files.js'

const NO_PAYLOAD = {
  readEventPayload: () => Promise.reject(new Error('the payload is not needed here')),
  files: ANY_PATH_EXISTS,
}
const CHART_HOST = '210987654321.dkr.ecr.us-east-1.amazonaws.com'
const OCI_DEPLOY = { release: 'api', chart: `oci://${CHART_HOST}/charts/api`, 'chart-version': '1.2.0' }

const planOf = (values: Record<string, string>): Promise<Plan> =>
  planPhases(
    parseInputs(
      mapReader({ 'aws-region': 'eu-west-1', ...values }),
      readRunnerContext(
        {
          GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
          RUNNER_TEMP: '/runner/temp',
          KUBECONFIG: '/runner/kubeconfig',
        },
        { os: 'linux', arch: 'x64', tmpdir: '/tmp' },
      ),
    ),
    NO_PAYLOAD,
  )

const chartRegistry = { kind: 'host', host: CHART_HOST, accountId: '210987654321', region: 'us-east-1' }

describe('an oci:// chart in ECR: phase ecr-login logs in to its registry too', () => {
  test('with no other ECR input, ecr-login runs for the chart alone', async () => {
    const planned = await planOf(OCI_DEPLOY)
    expect(planned.ecr?.login).toMatchObject({ registries: [], chartRegistries: [chartRegistry] })
    expect(planned.ecr?.image).toBeUndefined()
  })

  test("next to the image's registry, which stays the image's (the first of the login)", async () => {
    const planned = await planOf({ ...OCI_DEPLOY, 'ecr-repository': 'shop/api' })
    expect(planned.ecr?.login).toMatchObject({ registries: [], chartRegistries: [chartRegistry] })
    expect(planned.ecr?.location).toEqual({ region: 'eu-west-1', accountId: undefined, host: undefined })
  })

  test.each([
    ['as a host', CHART_HOST],
    ['as an account in aws-region', '210987654321'],
  ])('already in registries (%s): no second login', async (_how, registry) => {
    const region = registry === CHART_HOST ? 'eu-west-1' : 'us-east-1'
    const planned = await planOf({ ...OCI_DEPLOY, registries: registry, 'aws-region': region })
    expect(planned.ecr?.login?.chartRegistries).toEqual([])
  })

  test.each([
    ['a registry that is not ECR', { ...OCI_DEPLOY, chart: 'oci://ghcr.io/octo-org/charts/api' }],
    ['a chart directory', { ...OCI_DEPLOY, chart: './charts/api' }],
    ['phases listing deploy only', { ...OCI_DEPLOY, phases: 'deploy' }],
  ])('no login for %s', async (_name, values) => {
    expect((await planOf(values)).ecr).toBeUndefined()
  })

  test("deploy gets the runner's temp directory for helm's own files", async () => {
    expect((await planOf(OCI_DEPLOY)).deploy?.runnerTemp).toBe('/runner/temp')
  })
})

describe('role-chaining', () => {
  test('auth assumes the role with the current credentials; no ID token request is needed', async () => {
    const planned = await planOf({
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      'role-chaining': 'true',
    })
    expect(planned.auth).toMatchObject({ isRoleChaining: true, idTokenRequest: undefined })
  })
})
