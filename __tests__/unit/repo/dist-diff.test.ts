import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { compareDirectories, describeChange, renderDifference } from '../../../scripts/dist-diff.mjs'

let temp: string
beforeEach(async () => {
  temp = await fs.mkdtemp(path.join(os.tmpdir(), 'dist-diff-'))
})
afterEach(() => fs.rm(temp, { recursive: true, force: true }))

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(temp, name)
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await fs.writeFile(path.join(dir, file), text)
  }
  return dir
}

test('names the files a fresh bundle adds, no longer has, and changes, in nested folders too', async () => {
  const committed = await tree('dist', { 'index.js': 'a', '1.index.js': 'x', 'token/index.js': 't' })
  const fresh = await tree('fresh', { 'index.js': 'a', '2.index.js': 'y', 'token/index.js': 'T' })
  expect(compareDirectories(committed, fresh)).toEqual({
    added: ['2.index.js'],
    removed: ['1.index.js'],
    changed: ['token/index.js'],
  })
  const lines = renderDifference(compareDirectories(committed, fresh), committed, fresh)
  expect(lines[0]).toBe(
    'dist/ is not the bundle of src/: 1 changed, 1 missing from dist/, 1 no longer in the bundle. Run `npm run bundle` and commit dist/.',
  )
  expect(lines).toEqual(
    expect.arrayContaining([
      '  missing  dist/2.index.js (1 bytes)',
      '  extra    dist/1.index.js (1 bytes)',
      '  changed  dist/token/index.js (1 → 1 bytes)',
    ]),
  )
})

test('equal trees, or a dist/ that does not exist yet against an empty bundle, report nothing', async () => {
  const committed = await tree('dist', { 'index.js': 'same', 'post/index.js': 'p' })
  const fresh = await tree('fresh', { 'index.js': 'same', 'post/index.js': 'p' })
  expect(renderDifference(compareDirectories(committed, fresh), committed, fresh)).toEqual([])
  const missing = path.join(temp, 'none')
  expect(compareDirectories(missing, fresh).added).toEqual(['index.js', 'post/index.js'])
})

test('a small change in a small file is shown as a unified diff', () => {
  const lines = describeChange(
    'dist/licenses.txt',
    Buffer.from('one\ntwo\nthree\nfour\n'),
    Buffer.from('one\ntwo\n3\nfour\n'),
  )
  expect(lines).toEqual([
    '  --- a/dist/licenses.txt',
    '  +++ b/dist/licenses.txt',
    '  @@ -1,4 +1,4 @@',
    '   one',
    '   two',
    '  -three',
    '  +3',
    '   four',
  ])
})

test('a minified line is shown by its first difference, with context, quoted', () => {
  const before = `${'var a=1;'.repeat(100)}\nvar b="old";${'x();'.repeat(100)}`
  const after = `${'var a=1;'.repeat(100)}\nvar b="new";${'x();'.repeat(100)}`
  const lines = describeChange('dist/index.js', Buffer.from(before), Buffer.from(after))
  expect(lines[0]).toBe('  first difference at line 2, column 8:')
  expect(lines[1]).toContain('var b=\\"old\\";x();')
  expect(lines[2]).toContain('var b=\\"new\\";x();')
  expect(lines.join('\n').length).toBeLessThan(400)
})

test('binary files are told by size only', () => {
  expect(describeChange('dist/x.node', Buffer.from([0, 1]), Buffer.from([0, 2, 3]))).toEqual([
    '  (binary: 2 → 3 bytes)',
  ])
})
