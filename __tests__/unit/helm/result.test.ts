import {
  describeRelease,
  isRolledBack,
  lastGoodRevision,
  parseHistory,
  splitChart,
} from '../../../src/helm/result.js'

// Shapes as helm 3.17.3 and 4.1.4 print them (helm 4 adds apply_method and info.resources).
const HISTORY = JSON.stringify([
  {
    revision: 1,
    updated: 'x',
    status: 'superseded',
    chart: 'demo-0.1.0',
    app_version: '1.0',
    description: 'Install complete',
  },
  {
    revision: 2,
    updated: 'x',
    status: 'failed',
    chart: 'demo-0.2.0',
    app_version: '1.1',
    description: 'Upgrade "demo" failed: timeout',
  },
  {
    revision: 3,
    updated: 'x',
    status: 'deployed',
    chart: 'demo-0.1.0',
    app_version: '1.0',
    description: 'Rollback to 1',
  },
])

describe('parseHistory', () => {
  test('reads every entry, oldest first', () => {
    const history = parseHistory(HISTORY)
    expect(history.map((entry) => [entry.revision, entry.status])).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ])
    expect(history[1]).toEqual({
      revision: 2,
      status: 'failed',
      chart: 'demo-0.2.0',
      appVersion: '1.1',
      description: 'Upgrade "demo" failed: timeout',
    })
  })
  test('anything but an array is no history', () => {
    expect(parseHistory('{"error":"x"}')).toEqual([])
  })
})

describe('splitChart', () => {
  test.each([
    ['demo-0.1.0', 'demo', '0.1.0'],
    ['my-app-2-1.0.0', 'my-app-2', '1.0.0'],
    ['ingress-nginx-4.11.3', 'ingress-nginx', '4.11.3'],
    ['api-1.0.0-rc.1', 'api', '1.0.0-rc.1'],
    ['api-1.0.0-rc-1+build.5', 'api', '1.0.0-rc-1+build.5'],
    ['api-v2.3.4', 'api', 'v2.3.4'],
    ['weird', 'weird', ''],
  ])('%s', (chart, name, version) => {
    expect(splitChart(chart)).toEqual({ name, version })
  })
})

describe('describeRelease', () => {
  test('takes chart and app version from the history entry of the current revision', () => {
    const status = { revision: 3, status: 'deployed', description: 'Rollback to 1' }
    expect(describeRelease(status, parseHistory(HISTORY))).toEqual({
      revision: 3,
      status: 'deployed',
      description: 'Rollback to 1',
      chartName: 'demo',
      chartVersion: '0.1.0',
      appVersion: '1.0',
    })
  })
})

describe('isRolledBack', () => {
  const status = (revision: number, description: string) => ({ revision, status: 'deployed', description })
  test.each([
    ['a new rollback revision after the run', status(3, 'Rollback to 1'), 1, true],
    ['a rollback that was already there before the run', status(3, 'Rollback to 1'), 3, false],
    ['an upgrade that succeeded', status(2, 'Upgrade complete'), 1, false],
    ['no release', undefined, 1, false],
    [
      'first install then rollback (impossible, but no previous revision)',
      status(2, 'Rollback to 1'),
      undefined,
      true,
    ],
  ])('%s', (_name, state, previous, expected) => {
    expect(isRolledBack(state, previous)).toBe(expected)
  })
})

describe('lastGoodRevision', () => {
  test('the newest deployed or superseded revision', () => {
    const history = parseHistory(HISTORY)
    expect(lastGoodRevision(history)).toBe(3)
    expect(lastGoodRevision(history.slice(0, 2))).toBe(1)
  })
  test('none when nothing was ever deployed', () => {
    expect(
      lastGoodRevision([
        {
          revision: 1,
          updatedMs: undefined,
          status: 'pending-install',
          chart: '',
          appVersion: '',
          description: '',
        },
      ]),
    ).toBeUndefined()
  })
})
