import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { examplesShown, generatedDocuments, renderDocument } from '../../../scripts/docs/readme.js'
import { ROOT } from '../../fixtures/action-runner.js'
import { EXAMPLE_FILES } from '../../fixtures/workflow-files.js'

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const DOCUMENTS = generatedDocuments(ROOT)
const ALL_DOCUMENTS = [...DOCUMENTS, 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md']
const readme = read('README.md')
const action = parse(read('action.yml')) as { name: string; runs: { using: string } }
const recipes = read('docs/recipes.md')

// A landing page: what it does, the quick start, the recipes, the inputs and outputs in one line each.
// The rest is in docs/.
const README_MAX_LINES = 400

/** Markdown outside code fences, where headings and links are Markdown's and not a YAML comment's. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1\s*$/gm, '')
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

function anchorsOf(file: string): Set<string> {
  return new Set([...prose(read(file)).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1] ?? '')))
}

describe.each(DOCUMENTS)('%s', (file) => {
  test('is what `npm run docs` writes: tables, summaries, error catalog and recipes generated from their sources', async () => {
    // On failure: run `npm run docs` and commit the file.
    const text = read(file)
    expect(text).toBe(await renderDocument(ROOT, file, text))
  })
})

describe('the recipes', () => {
  test('each file of examples/ is shown once, the quick start in the README and the others in docs/recipes.md', () => {
    expect(examplesShown(readme)).toEqual(['examples/quick-start.yml'])
    expect([...examplesShown(readme), ...examplesShown(recipes)].sort()).toEqual(EXAMPLE_FILES)
  })

  test('each block equals its file', () => {
    for (const file of EXAMPLE_FILES) {
      const block = ['```yaml', read(file).trimEnd(), '```'].join('\n')
      expect(`${readme}\n${recipes}`).toContain(
        `<!-- BEGIN npm run docs: example ${file} -->\n\n${block}\n\n`,
      )
    }
  })

  test.each(ALL_DOCUMENTS)(
    '%s has no workflow outside the generated recipe blocks (each is validated as a file of examples/)',
    (file) => {
      const outside = read(file).replace(
        /<!-- BEGIN npm run docs: (\S+ ?\S*) -->[\s\S]*?<!-- END npm run docs: \1 -->/g,
        '',
      )
      const workflows = [...outside.matchAll(/```ya?ml\n([\s\S]*?)```/g)].filter((m) =>
        /^jobs:/m.test(m[1] ?? ''),
      )
      expect(workflows.map((m) => m[1])).toEqual([])
    },
  )
})

describe('README.md', () => {
  test(`is a landing page of at most ${README_MAX_LINES} lines`, () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(README_MAX_LINES)
  })

  test('links every recipe of examples/', () => {
    const linked = new Set([...readme.matchAll(/\]\((examples\/[\w.-]+\.ya?ml)\)/g)].map((m) => m[1]))
    expect(EXAMPLE_FILES.filter((file) => !linked.has(file))).toEqual([])
  })

  test('has the Marketplace name of action.yml as its title, so that the listing and the page agree', () => {
    expect(/^# (.+)$/m.exec(readme)?.[1]).toBe(action.name)
  })

  test('states the runner version that runs.using node24 needs', () => {
    expect(action.runs.using).toBe('node24')
    expect(readme).toContain('Runner v2.327.1 or newer')
  })
})

describe.each(ALL_DOCUMENTS)('the links of %s', (file) => {
  test('to files of the repository and their headings resolve', () => {
    const broken: string[] = []
    for (const [, target = ''] of prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [where = '', anchor] = target.split('#')
      const resolved = where === '' ? file : path.join(path.dirname(file), where)
      if (!existsSync(path.join(ROOT, resolved))) broken.push(`${target}: no ${resolved}`)
      else if (
        anchor !== undefined &&
        statSync(path.join(ROOT, resolved)).isFile() &&
        !anchorsOf(resolved).has(anchor)
      )
        broken.push(`${target}: no heading #${anchor} in ${resolved}`)
    }
    expect(broken).toEqual([])
  })
})
