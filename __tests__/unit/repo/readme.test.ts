import { readFileSync } from 'node:fs'
import path from 'node:path'
import { examplesShown, renderReadme } from '../../../scripts/docs/readme.js'
import { ROOT } from '../../fixtures/action-runner.js'
import { EXAMPLE_FILES } from '../../fixtures/workflow-files.js'

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')

describe('README.md', () => {
  test('is what `npm run docs` writes: inputs, outputs, error catalog and recipes generated from their sources', async () => {
    // On failure: run `npm run docs` and commit README.md.
    expect(readme).toBe(await renderReadme(ROOT, readme))
  })

  test('shows every recipe of examples/ once, each block equal to its file', () => {
    expect([...examplesShown(readme)].sort()).toEqual(EXAMPLE_FILES)
    for (const file of EXAMPLE_FILES) {
      const block = ['```yaml', readFileSync(path.join(ROOT, file), 'utf8').trimEnd(), '```'].join('\n')
      expect(readme).toContain(`<!-- BEGIN npm run docs: example ${file} -->\n\n${block}\n\n`)
    }
  })

  test('has no workflow outside the generated recipe blocks (each is validated as a file of examples/)', () => {
    const outside = readme.replace(
      /<!-- BEGIN npm run docs: (\S+ ?\S*) -->[\s\S]*?<!-- END npm run docs: \1 -->/g,
      '',
    )
    const workflows = [...outside.matchAll(/```ya?ml\n([\s\S]*?)```/g)].filter((m) =>
      /^jobs:/m.test(m[1] ?? ''),
    )
    expect(workflows.map((m) => m[1])).toEqual([])
  })
})
