import { outputsOf, summaryRows } from '../../../../src/phases/deploy/report.js'
import type { ChangeSet, ObjectChange } from '../../../../src/phases/deploy/changes/types.js'
import type { DeployResult } from '../../../../src/phases/deploy/types.js'

const NO_KEYS = { added: [], changed: [], removed: [] }
const change = (kind: string, name: string, how: ObjectChange['change']): ObjectChange => ({
  kind,
  name,
  namespace: 'shop',
  change: how,
  diff: [],
  secretKeys: undefined,
})
const deploy = (changes: ChangeSet | undefined, extra: Partial<DeployResult> = {}): DeployResult => ({
  helmVersion: 'v4.1.4',
  release: 'api',
  namespace: 'shop',
  isDryRun: changes !== undefined,
  state: undefined,
  previousRevision: 3,
  isRolledBack: false,
  failure: undefined,
  failureReason: undefined,
  diagnosis: undefined,
  changes,
  ...extra,
})

describe('a dry run as a gate: has-changes and the counts', () => {
  test.each([
    [
      'objects added, changed, removed',
      {
        objects: [
          change('Deployment', 'api', 'changed'),
          change('ConfigMap', 'api-env', 'changed'),
          change('Service', 'api-metrics', 'added'),
          change('Job', 'migrate', 'removed'),
        ],
        unchanged: 2,
        values: NO_KEYS,
      },
      { 'has-changes': 'true', 'changes-added': '1', 'changes-changed': '2', 'changes-removed': '1' },
    ],
    [
      'nothing at all: the same release again',
      { objects: [], unchanged: 5, values: NO_KEYS },
      { 'has-changes': 'false', 'changes-added': '0', 'changes-changed': '0', 'changes-removed': '0' },
    ],
    [
      'only a supplied value changed (no object renders differently)',
      { objects: [], unchanged: 5, values: { added: [], changed: ['replicas'], removed: [] } },
      { 'has-changes': 'true', 'changes-added': '0', 'changes-changed': '0', 'changes-removed': '0' },
    ],
  ] as const)('%s', (_name, changes, expected) => {
    expect(outputsOf(deploy(changes))).toMatchObject(expected)
  })

  test('without a dry run the outputs are empty (no gate to read)', () => {
    expect(outputsOf(deploy(undefined))).toMatchObject({
      'has-changes': '',
      'changes-added': '',
      'changes-changed': '',
      'changes-removed': '',
    })
  })
})

describe('the release lock in the job summary', () => {
  const row = (result: DeployResult) => summaryRows(result).find(([label]) => label === 'Release lock')

  test.each([
    [
      { kind: 'held', lease: 'shop/eks-deploy-action.api', waitedMs: 120, tookOverFrom: undefined },
      [{ code: 'shop/eks-deploy-action.api' }, ' (no wait)'],
    ],
    [
      {
        kind: 'held',
        lease: 'shop/eks-deploy-action.api',
        waitedMs: 12_400,
        tookOverFrom: 'https://github.com/o/r/actions/runs/1',
      },
      [
        { code: 'shop/eks-deploy-action.api' },
        ' (queued 12s, taken over from https://github.com/o/r/actions/runs/1)',
      ],
    ],
    [
      { kind: 'unlocked', reason: 'namespace shop does not exist yet' },
      ['not taken: namespace shop does not exist yet'],
    ],
  ] as const)('%j', (lock, cell) => {
    expect(row(deploy(undefined, { lock }))).toEqual(['Release lock', cell])
  })

  test('no row when the lock was not asked for (lock: false, a dry run)', () => {
    expect(row(deploy(undefined))).toBeUndefined()
  })
})
