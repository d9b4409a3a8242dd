import { changesFailure } from '../../../../src/phases/deploy/release-end.js'
import type { ChangeSet, ObjectChange } from '../../../../src/phases/deploy/changes/types.js'

const NO_KEYS = { added: [], changed: [], removed: [] }
const change = (kind: string, name: string, how: ObjectChange['change']): ObjectChange => ({
  kind,
  name,
  namespace: 'shop',
  change: how,
  diff: [],
  secretKeys: undefined,
})
const spec = { release: 'api', namespace: 'shop' }

describe('fail-on-changes: a dry run as a "no drift allowed" check', () => {
  test('nothing would change: no failure', () => {
    expect(changesFailure(spec, { objects: [], unchanged: 3, values: NO_KEYS })).toBeUndefined()
  })

  test.each([
    [
      'objects would change',
      {
        objects: [change('Deployment', 'api', 'changed'), change('Service', 'api-metrics', 'added')],
        unchanged: 1,
        values: NO_KEYS,
      },
      'Release api in namespace shop would change (objects: 1 added, 1 changed, 0 removed): the dry run fails on any change (fail-on-changes: true). Nothing was changed.',
    ],
    [
      'only a supplied value would change',
      { objects: [], unchanged: 2, values: { added: [], changed: ['replicas'], removed: [] } },
      'Release api in namespace shop would change (objects: 0 added, 0 changed, 0 removed, and supplied values differ): the dry run fails on any change (fail-on-changes: true). Nothing was changed.',
    ],
  ] as [string, ChangeSet, string][])(
    '%s: the step fails, saying what and how to go on',
    (_name, changes, message) => {
      const failure = changesFailure(spec, changes)
      expect(failure?.message).toBe(message)
      expect(failure?.hint).toContain('Outputs changes and has-changes')
    },
  )
})
