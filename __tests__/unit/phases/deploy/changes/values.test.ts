import {
  compareValues,
  flattenValues,
  keySegments,
  valueAt,
} from '../../../../../src/phases/deploy/changes/values.js'

describe('compareValues: paths only', () => {
  test('added, changed and removed paths, sorted; equal values are no change', () => {
    expect(
      compareValues(
        { image: { tag: 'a' }, old: true, same: 1, apiKey: 'first-secret-value-01' },
        { image: { tag: 'b' }, same: 1, added: 'x', apiKey: 'rotated-api-key-0002' },
      ),
    ).toEqual({ added: ['added'], changed: ['apiKey', 'image.tag'], removed: ['old'] })
  })

  test('a number and the same digits as a string differ', () => {
    expect(compareValues({ tag: 1234567 }, { tag: '1234567' }).changed).toEqual(['tag'])
  })

  test('helm get values prints null for a release without values', () => {
    expect(compareValues(null, {})).toEqual({ added: [], changed: [], removed: [] })
  })

  test('what is kept of a value is a digest: never the value itself', () => {
    const flat = flattenValues({ db: { password: 'first-secret-value-01' }, list: [1, 2] })
    expect([...flat.keys()]).toEqual(['db.password', 'list'])
    expect(JSON.stringify([...flat])).not.toContain('first-secret')
  })
})

describe('the value at a --set key', () => {
  test.each<[string, (string | number)[]]>([
    ['image.tag', ['image', 'tag']],
    ['hosts[0].name', ['hosts', 0, 'name']],
    ['matrix[1][2]', ['matrix', 1, 2]],
    ['annotations.example\\.com/team', ['annotations', 'example.com/team']],
  ])('%s', (key, segments) => {
    expect(keySegments(key)).toEqual(segments)
  })

  test('reads nested maps and lists, and undefined for what is not there', () => {
    const values = { image: { tag: 'v1' }, hosts: [{ name: 'a' }], 'example.com': 1 }
    expect(valueAt(values, 'image.tag')).toBe('v1')
    expect(valueAt(values, 'hosts[0].name')).toBe('a')
    expect(valueAt(values, 'example\\.com')).toBe(1)
    expect(valueAt(values, 'hosts[3].name')).toBeUndefined()
    expect(valueAt(values, 'image.tag.deeper')).toBeUndefined()
    expect(valueAt(null, 'a')).toBeUndefined()
  })
})
