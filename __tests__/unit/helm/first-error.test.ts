import { explainUpgradeFailure, firstHelmError, type UpgradeFailure } from '../../../src/helm/failure.js'

// helm's own wording (pkg/action/upgrade.go failRelease, install.go): the rollback's or uninstall's error
// wraps the first one, and Helm 4 logs the first one before it rolls back.
const ROLLBACK_FAILED_HELM3 =
  'Error: UPGRADE FAILED: an error occurred while rolling back the release. original upgrade error: context deadline exceeded: no Deployment with the name "web" found\n'
const ROLLBACK_FAILED_HELM4 = [
  'level=WARN msg="upgrade failed" name=api error="resource Deployment/shop/web not ready. status: InProgress\\ncontext deadline exceeded"',
  'Error: UPGRADE FAILED: an error occurred while rolling back the release. original upgrade error: resource Deployment/shop/web not ready. status: InProgress',
  'context deadline exceeded: timed out waiting for the condition',
  '',
].join('\n')
const ROLLED_BACK =
  'Error: UPGRADE FAILED: release api failed, and has been rolled back due to atomic being set: context deadline exceeded\n'

describe("helm's first error", () => {
  test.each([
    [
      'Helm 3: the wrapped original',
      ROLLBACK_FAILED_HELM3,
      'context deadline exceeded: no Deployment with the name "web" found',
    ],
    [
      'Helm 4: the logged error of the upgrade itself',
      ROLLBACK_FAILED_HELM4,
      'resource Deployment/shop/web not ready. status: InProgress context deadline exceeded',
    ],
    ['a rollback that worked says the first error itself: nothing more', ROLLED_BACK, undefined],
    ['no rollback at all', 'Error: UPGRADE FAILED: timed out waiting for the condition\n', undefined],
  ])('%s', (_name, stderr, expected) => {
    expect(firstHelmError(stderr)).toBe(expected)
  })
})

const base: UpgradeFailure = {
  release: 'api',
  namespace: 'shop',
  exitCode: 1,
  stdout: '',
  stderr: ROLLBACK_FAILED_HELM4,
  state: { revision: 2, status: 'failed', description: 'Rollback "api" failed' },
  history: [],
  isRolledBack: false,
}

test("a failed rollback: the step's error shows helm's first error, not only the rollback's", () => {
  expect(explainUpgradeFailure(base).message).toContain(
    "\nhelm's first error, before its rollback failed too: resource Deployment/shop/web not ready. status: InProgress context deadline exceeded\n",
  )
})

test('fail-fast stopped helm and the rollback failed: the rollout reason first, then the rollback error; the rule and how to relax it', () => {
  const error = explainUpgradeFailure({
    ...base,
    stderr: ROLLBACK_FAILED_HELM3,
    rollout: {
      reason: 'CrashLoopBackOff: pod web-1 container web exited 1',
      stoppedAfterSeconds: 14,
      rule: 'same failure twice',
      relax: 'annotate it',
    },
  })
  expect(error.message).toMatch(
    /^The rollout of release api in namespace shop cannot succeed: CrashLoopBackOff: pod web-1 container web exited 1\. fail-fast stopped helm after 14 s \(rule same failure twice\) instead of waiting for its timeout\..*\nhelm's rollback failed: UPGRADE FAILED: an error occurred while rolling back/s,
  )
  expect(error.hint).toContain('If this rule is wrong for this workload: annotate it.')
})

test('a failed first install that was kept: where it is and how to remove it', () => {
  const error = explainUpgradeFailure({
    ...base,
    stderr: 'Error: INSTALLATION FAILED: context canceled\n',
    state: { revision: 1, status: 'failed', description: 'Release "api" failed: context canceled' },
    history: [
      {
        revision: 1,
        updatedMs: undefined,
        status: 'failed',
        chart: 'api-1.0.0',
        appVersion: '1',
        description: '',
      },
    ],
  })
  expect(error.message).toContain(
    'The failed first install was kept (revision 1, status failed) with its pods for debugging; run `helm uninstall api -n shop` before the next deploy.',
  )
})
