import { collectOutputs } from '../../../src/action/outputs.js'
import type { RunResults } from '../../../src/action/results.js'
import { renderSummary } from '../../../src/action/summary.js'
import type { DeployResult } from '../../../src/phases/deploy/index.js'
import { loadActionYaml } from '../../fixtures/action-runner.js'
import { inputsFrom } from '../../fixtures/parsed-inputs.js'

const RESULT: DeployResult = {
  helmVersion: 'v4.1.4',
  release: 'api',
  namespace: 'shop',
  isDryRun: false,
  state: {
    revision: 6,
    status: 'deployed',
    description: 'Rollback to 4',
    chartName: 'api',
    chartVersion: '1.2.0',
    appVersion: '2.0',
  },
  previousRevision: 4,
  isRolledBack: true,
  failure: undefined,
  failureReason: undefined,
  diagnosis: undefined,
  changes: undefined,
}

const run = (deploy: DeployResult): RunResults => ({
  inputs: inputsFrom({ 'aws-region': 'eu-west-1', release: 'api', chart: './charts/api' }),
  auth: undefined,
  ecr: undefined,
  kubeconfig: undefined,
  deploy,
  teardown: undefined,
  github: undefined,
})
const deployOutputs = (deploy: DeployResult) => collectOutputs(run(deploy))
/** The summary's table rows, as [key, value] pairs, without the timings. */
const deploySummaryRows = (deploy: DeployResult): string[][] =>
  renderSummary({ results: run(deploy), spans: [], failure: undefined }, { hide: (text) => text })
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| |') && !line.startsWith('| ---'))
    .map((line) => line.slice(2, -2).split(' | '))

describe('the deploy outputs', () => {
  test('every output of the deploy phase, as action.yml declares them', () => {
    const outputs = deployOutputs(RESULT)
    expect(outputs).toEqual({
      'helm-version': 'v4.1.4',
      'release-revision': '6',
      'release-status': 'deployed',
      'chart-name': 'api',
      'chart-version': '1.2.0',
      'chart-digest': '',
      'app-version': '2.0',
      'previous-revision': '4',
      'rolled-back': 'true',
      'failure-reason': '',
      changes: '',
      drift: '',
      verified: '',
      'has-changes': '',
      'changes-added': '',
      'changes-changed': '',
      'changes-removed': '',
    })
    const declared = Object.keys(loadActionYaml().outputs)
    expect(declared).toEqual(expect.arrayContaining(Object.keys(outputs)))
  })

  test('a first install that left no release: empty outputs, not "undefined"', () => {
    const outputs = deployOutputs({
      ...RESULT,
      state: undefined,
      previousRevision: undefined,
      isRolledBack: false,
    })
    expect(outputs).toMatchObject({
      'release-revision': '',
      'release-status': '',
      'previous-revision': '',
      'rolled-back': 'false',
    })
  })
})

describe('the deploy rows of the summary', () => {
  test('release, namespace, chart and version, revision and status, rolled back', () => {
    expect(deploySummaryRows(RESULT)).toEqual([
      ['Release', '`api`'],
      ['Namespace', '`shop`'],
      ['Chart', 'api 1.2.0'],
      ['Revision', '6 (deployed)'],
      ['Previous revision', '4'],
      ['Rolled back', 'yes'],
      ['Helm', 'v4.1.4'],
    ])
  })
  test('a dry run says so', () => {
    expect(deploySummaryRows({ ...RESULT, isDryRun: true, isRolledBack: false })[3]).toEqual([
      'Revision',
      '6 (deployed, dry run)',
    ])
  })
})
