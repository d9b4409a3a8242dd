import {
  decidePending,
  describeAge,
  type PendingParams,
} from '../../../../../src/phases/deploy/helm/pending.js'
import type { HistoryEntry } from '../../../../../src/helm/result.js'

const NOW = Date.parse('2026-11-24T12:00:00Z')
const entry = (revision: number, status: string, ageSeconds: number | undefined): HistoryEntry => ({
  revision,
  updatedMs: ageSeconds === undefined ? undefined : NOW - ageSeconds * 1000,
  status,
  chart: 'api-1.0.0',
  appVersion: '1',
  description: status === 'pending-upgrade' ? 'Preparing upgrade' : 'Upgrade complete',
})
const params = (overrides: Partial<PendingParams> = {}): PendingParams => ({
  release: 'api',
  namespace: 'shop',
  timeout: '5m',
  timeoutSeconds: 300,
  shouldRecover: false,
  nowMs: NOW,
  ...overrides,
})
const HISTORY = [entry(3, 'superseded', 9000), entry(4, 'deployed', 8000)]

describe('decidePending', () => {
  test('no pending revision: nothing to do', () => {
    expect(decidePending(HISTORY, params({ shouldRecover: true }))).toEqual({ kind: 'none' })
    expect(decidePending([], params())).toEqual({ kind: 'none' })
  })

  test.each(['pending-install', 'pending-upgrade', 'pending-rollback'])(
    '%s, by default: refused with the revision, its age and the command that frees it',
    (status) => {
      const decision = decidePending([...HISTORY, entry(5, status, 1200)], params())
      if (decision.kind !== 'refuse') throw new Error(decision.kind)
      expect(decision.error.message).toBe(
        `Release api in namespace shop is stuck: revision 5 is ${status} since 20 min ago ("${status === 'pending-upgrade' ? 'Preparing upgrade' : 'Upgrade complete'}"). helm refuses to upgrade it ("another operation is in progress").`,
      )
      expect(decision.error.hint).toContain('Set recover-pending: true')
      expect(decision.error.hint).toContain('helm rollback api 4 -n shop')
    },
  )

  test('recover-pending, older than timeout: roll back to the last deployed revision', () => {
    expect(
      decidePending([...HISTORY, entry(5, 'pending-upgrade', 301)], params({ shouldRecover: true })),
    ).toMatchObject({
      kind: 'rollback',
      revision: 4,
    })
  })

  test('recover-pending, a release that never deployed: uninstall it', () => {
    expect(decidePending([entry(1, 'pending-install', 900)], params({ shouldRecover: true }))).toMatchObject({
      kind: 'uninstall',
    })
  })

  test('recover-pending, younger than timeout: left alone (another deploy may still run it)', () => {
    const decision = decidePending(
      [...HISTORY, entry(5, 'pending-upgrade', 299)],
      params({ shouldRecover: true }),
    )
    if (decision.kind !== 'refuse') throw new Error(decision.kind)
    expect(decision.error.hint).toContain('younger than timeout (5m)')
    expect(decision.error.hint).toContain('concurrency:')
    expect(decision.error.hint).toContain('Once you are sure no other job deploys it')
    expect(decision.error.hint).not.toContain('recover-pending')
  })

  test('an unreadable time counts as old', () => {
    expect(
      decidePending([...HISTORY, entry(5, 'pending-upgrade', undefined)], params({ shouldRecover: true })),
    ).toMatchObject({
      kind: 'rollback',
    })
  })
})

test.each([
  [5, '5 s ago'],
  [119, '119 s ago'],
  [600, '10 min ago'],
  [10_800, '3 h ago'],
  [Number.POSITIVE_INFINITY, 'at an unknown time'],
])('describeAge(%s) = %s', (seconds, text) => {
  expect(describeAge(seconds)).toBe(text)
})
