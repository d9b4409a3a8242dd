import { deployOutputs, deploySummaryRows } from '../../src/deploy-report.js'
import type { DeployResult } from '../../src/phases/deploy.js'
import { loadActionYaml } from '../fixtures/action-runner.js'

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
}

describe('deployOutputs', () => {
  test('every output of the deploy phase, as action.yml declares them', () => {
    const outputs = deployOutputs(RESULT)
    expect(outputs).toEqual({
      'helm-version': 'v4.1.4',
      'release-revision': '6',
      'release-status': 'deployed',
      'chart-name': 'api',
      'chart-version': '1.2.0',
      'app-version': '2.0',
      'previous-revision': '4',
      'rolled-back': 'true',
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

describe('deploySummaryRows', () => {
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
