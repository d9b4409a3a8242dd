import { explainUpgradeFailure, lastHelmError, type UpgradeFailure } from '../../../src/helm/failure.js'
import { ActionError } from '../../../src/lib/errors.js'

const HELM4_ROLLBACK_STDERR = [
  'level=WARN msg="upgrade failed" name=demo error="resource Deployment/ns/demo not ready"',
  'Error: UPGRADE FAILED: release demo failed, and has been rolled back due to rollback-on-failure being set: resource Deployment/ns/demo not ready. status: InProgress',
  'context deadline exceeded',
  '',
].join('\n')

describe('lastHelmError', () => {
  test.each([
    [
      'the Error: line and what follows it',
      HELM4_ROLLBACK_STDERR,
      'UPGRADE FAILED: release demo failed, and has been rolled back due to rollback-on-failure being set: resource Deployment/ns/demo not ready. status: InProgress context deadline exceeded',
    ],
    ['the last Error: wins', 'Error: first\nwarning\nError: second\n', 'second'],
    ['without Error:, the last line', 'one\ntwo\n\n', 'two'],
    ['nothing printed', '', '(helm printed no error)'],
  ])('%s', (_name, stderr, expected) => {
    expect(lastHelmError(stderr)).toBe(expected)
  })
})

const failure = (overrides: Partial<UpgradeFailure>): UpgradeFailure => ({
  release: 'api',
  namespace: 'shop',
  exitCode: 1,
  stdout: '',
  stderr: 'Error: UPGRADE FAILED: timed out waiting for the condition\n',
  state: { revision: 5, status: 'failed', description: 'Upgrade "api" failed' },
  history: [
    {
      revision: 3,
      updatedMs: undefined,
      status: 'superseded',
      chart: 'api-1.0.0',
      appVersion: '1',
      description: 'Install complete',
    },
    {
      revision: 4,
      updatedMs: undefined,
      status: 'deployed',
      chart: 'api-1.0.0',
      appVersion: '1',
      description: 'Upgrade complete',
    },
    {
      revision: 5,
      updatedMs: undefined,
      status: 'failed',
      chart: 'api-1.0.0',
      appVersion: '1',
      description: 'Upgrade "api" failed',
    },
  ],
  isRolledBack: false,
  ...overrides,
})

describe('explainUpgradeFailure', () => {
  test('a plain failure: exit code, helm error, where the release stands, how to look closer', () => {
    const error = explainUpgradeFailure(failure({}))
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      'helm upgrade --install of release api in namespace shop failed (exit code 1): UPGRADE FAILED: timed out waiting for the condition\nThe release is at revision 5, status failed.',
    )
    expect(error.hint).toContain('helm history api -n shop')
    expect(error.hint).toContain('kubectl get events -n shop')
  })

  test('a rolled-back failure says which revision serves again', () => {
    const error = explainUpgradeFailure(
      failure({
        isRolledBack: true,
        state: { revision: 6, status: 'deployed', description: 'Rollback to 4' },
      }),
    )
    expect(error.message).toContain('The release was rolled back: revision 6 ("Rollback to 4") is deployed.')
  })

  test('a failed first install that helm removed again', () => {
    const error = explainUpgradeFailure(
      failure({
        state: undefined,
        history: [],
        isRolledBack: true,
        stderr:
          'Error: INSTALLATION FAILED: release api failed, and has been uninstalled due to atomic being set: timeout\n',
      }),
    )
    expect(error.message).toContain('The failed first install was removed again (automatic rollback).')
  })

  test('another operation in progress: the stuck release and the commands that free it', () => {
    const error = explainUpgradeFailure(
      failure({
        stderr: 'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n',
        state: { revision: 5, status: 'pending-upgrade', description: 'Preparing upgrade' },
      }),
    )
    expect(error.message).toBe(
      'helm refused to upgrade release api in namespace shop: another operation (install/upgrade/rollback) is in progress (revision 5 is pending-upgrade).',
    )
    expect(error.hint).toContain('helm history api -n shop')
    expect(error.hint).toContain('helm rollback api 4 -n shop')
    expect(error.hint).toContain('concurrency:')
  })

  test('stuck on a first install that never finished: uninstall is the way out', () => {
    const error = explainUpgradeFailure(
      failure({
        stderr: 'Error: INSTALLATION FAILED: another operation (install/upgrade/rollback) is in progress\n',
        history: [
          {
            revision: 1,
            updatedMs: undefined,
            status: 'pending-install',
            chart: 'api-1.0.0',
            appVersion: '1',
            description: '',
          },
        ],
      }),
    )
    expect(error.hint).toContain('helm uninstall api -n shop')
  })

  test('a cancelled run says so and where the release stands', () => {
    const error = explainUpgradeFailure(
      failure({
        stdout: 'Release api has been cancelled.\n',
        stderr:
          'Error: UPGRADE FAILED: release api failed, and has been rolled back due to atomic being set: context canceled\n',
        isRolledBack: true,
        state: { revision: 7, status: 'deployed', description: 'Rollback to 4' },
      }),
    )
    expect(error.message).toMatch(/^The deploy of release api in namespace shop was cancelled/)
    expect(error.message).toContain('revision 7 ("Rollback to 4") is deployed')
  })
  test('a 401 from the API server: the cluster refused the role, not a failed rollout', () => {
    const error = explainUpgradeFailure(
      failure({
        stderr: 'Error: UPGRADE FAILED: Unauthorized\n',
        state: undefined,
        cluster: { clusterName: 'prod', region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/ci' },
      }),
    )
    expect(error.message).toMatch(
      /^EKS cluster prod refused IAM role arn:aws:iam::111122223333:role\/ci \(HTTP 401 Unauthorized\).* helm said: UPGRADE FAILED: Unauthorized$/,
    )
    expect(error.hint).toContain('aws eks create-access-entry --cluster-name prod')
  })
})
