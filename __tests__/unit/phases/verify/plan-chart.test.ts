import { parseInputs } from '../../../../src/inputs/parse.js'
import { planVerify } from '../../../../src/phases/verify/plan.js'
import { fakeContext, mapReader } from '../../../fixtures/parsed-inputs.js'

const KEYLESS = {
  'cosign-identity': 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main',
  'cosign-issuer': 'https://token.actions.githubusercontent.com',
}

const plan = (values: Record<string, string>) =>
  planVerify(
    parseInputs(
      mapReader({ 'aws-region': 'eu-west-1', release: 'api', ...KEYLESS, ...values }),
      fakeContext(),
    ),
    undefined,
    {},
  )

describe('verify-chart’s plan', () => {
  test('an oci:// chart of one version: verified without any image (verify-image off)', () => {
    expect(
      plan({ 'verify-chart': 'cosign', chart: 'oci://r.example/charts/api', 'chart-version': '1.4.2' }),
    ).toMatchObject({
      methods: [],
      chart: { ref: 'oci://r.example/charts/api', version: '1.4.2', methods: ['cosign'] },
      cosign: { kind: 'keyless' },
    })
  })

  test('off by default: no verify phase for a chart alone', () => {
    expect(plan({ chart: 'oci://r.example/charts/api', 'chart-version': '1.4.2' })).toBeUndefined()
  })

  test.each([
    [
      { chart: './charts/api' },
      'verify-chart verifies a chart from an OCI registry (chart: oci://...), but chart is not one.',
    ],
    [
      { chart: 'oci://r.example/charts/api', 'chart-version': '^1.4.0' },
      'verify-chart needs one version of the chart, but chart-version ^1.4.0 is a range',
    ],
  ])('%j is refused before any call', (values, message) => {
    expect(() => plan({ 'verify-chart': 'cosign', ...values })).toThrow(message)
  })
})
