import { fenced } from '../../../../../src/lib/fenced.js'
import { changesMarkdown } from '../../../../../src/phases/deploy/changes/markdown.js'
import type { ChangeSet, KeyChanges, ObjectChange } from '../../../../../src/phases/deploy/changes/types.js'

const NO_KEYS: KeyChanges = { added: [], changed: [], removed: [] }
const change = (overrides: Partial<ObjectChange>): ObjectChange => ({
  kind: 'Deployment',
  name: 'api',
  namespace: 'shop',
  change: 'changed',
  diff: ['@@ -1,1 +1,1 @@', '-image: repo/api:v1', '+image: repo/api:v2'],
  secretKeys: undefined,
  ...overrides,
})
const set = (objects: ObjectChange[], values = NO_KEYS): ChangeSet => ({ objects, unchanged: 3, values })

describe('changesMarkdown', () => {
  test('one collapsed block per object, its diff fenced; totals and value paths first', () => {
    const markdown = changesMarkdown(set([change({})], { ...NO_KEYS, changed: ['image.tag'] }), 'api')
    expect(markdown).toBe(
      [
        '#### What would change: dry run of release api',
        '',
        '1 object would change (0 added, 1 changed, 0 removed), 3 unchanged. Values (user-supplied; paths only, values are never shown): <code>image.tag</code> changed.',
        '',
        '<details><summary>&#126; Deployment api (namespace shop): changed</summary>',
        '',
        '```diff',
        '@@ -1,1 +1,1 @@',
        '-image: repo/api:v1',
        '+image: repo/api:v2',
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    )
  })

  test('a Secret: its keys, never a value', () => {
    const secret = change({
      kind: 'Secret',
      name: 'keys',
      diff: [],
      secretKeys: { ...NO_KEYS, changed: ['apiKey'] },
    })
    const markdown = changesMarkdown(set([secret]), 'api')
    expect(markdown).toContain(
      '<details><summary>&#126; Secret keys (namespace shop): changed; keys: apiKey changed (values are never shown)</summary>',
    )
    expect(markdown).toContain('Secret keys: <code>apiKey</code> changed. Values are never shown.')
  })

  test('names from the chart are escaped; a diff cannot close its fence', () => {
    const odd = change({ name: '<img src=x onerror=alert(1)>', diff: ['+ a: "```"', '+ b: "````"'] })
    const markdown = changesMarkdown(set([odd]), 'api')
    expect(markdown).not.toContain('<img')
    expect(markdown).toContain('&#60;img src=x onerror=alert(1)&#62;')
    expect(markdown).toContain('`````diff\n+ a: "```"\n+ b: "````"\n`````')
  })

  test('long diffs are cut, and the summary stays within what a comment holds', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `+line ${i} ${'x'.repeat(80)}`)
    const objects = Array.from({ length: 10 }, (_, i) => change({ name: `api-${i}`, diff: lines }))
    const markdown = changesMarkdown(set(objects), 'api')
    expect(markdown).toContain('(250 more lines in the log)')
    expect(markdown).toContain('(diff left out here: the summary has a size limit; the log shows it)')
    expect(markdown.length).toBeLessThan(60_000)
    expect(markdown.match(/<details>/g)).toHaveLength(10)
  })

  test('nothing changes', () => {
    expect(changesMarkdown(set([]), 'api')).toContain('No object would change (3 unchanged).')
  })
})

test('fenced: at least three backticks, one more than the text holds', () => {
  expect(fenced('a', 'text')).toEqual(['```text', 'a', '```'])
  expect(fenced('a ```` b', '')).toEqual(['`````', 'a ```` b', '`````'])
})
