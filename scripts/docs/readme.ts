import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import * as prettier from 'prettier'
import { parse } from 'yaml'
import {
  renderInputs,
  renderInputsSummary,
  renderOutputs,
  renderOutputsSummary,
  type ActionMetadata,
} from './action-tables.js'
import { collectErrorSites, collectInputChecks } from './error-catalog.js'
import { indexSources, type SourceIndex } from './source-index.js'
import { renderErrorCatalog, renderInputChecks } from './troubleshooting.js'

/**
 * The generated parts of the README and of docs/*.md sit between `<!-- BEGIN npm run docs: <key> -->`
 * and `<!-- END npm run docs: <key> -->`. Keys: inputs, outputs (the full tables), inputs-summary,
 * outputs-summary (one line each), errors, input-checks, and `example <path>` for a recipe, the file
 * under examples/ as a YAML block. Tables are wrapped in prettier-ignore ranges: prettier would pad
 * every row to the widest cell.
 */
const SECTION = /(<!-- BEGIN npm run docs: ([^>]+?) -->\n)([\s\S]*?)(<!-- END npm run docs: \2 -->)/g

export type SectionRenderer = (key: string) => string

/** The README with every generated section rendered again; fails on an unknown key or an unclosed marker. */
export function regenerate(readme: string, render: SectionRenderer): string {
  const begins = [...readme.matchAll(/<!-- BEGIN npm run docs: ([^>]+?) -->/g)].length
  let rendered = 0
  const result = readme.replace(SECTION, (_match, begin: string, key: string, _old: string, end: string) => {
    rendered++
    return `${begin}\n${render(key).trim()}\n\n${end}`
  })
  if (rendered !== begins)
    throw new Error(`${begins - rendered} generated section(s) without a matching END marker`)
  return result
}

/** The renderer of every key, from the project's action.yml, src/ and examples/. */
export function projectSections(root: string): SectionRenderer {
  const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as ActionMetadata
  // Parsed on first use: only docs/troubleshooting.md's two sections read src/, and parsing all of it for
  // each of the other documents was most of `npm run docs` and of readme.test.ts.
  let parsed: SourceIndex | undefined
  const index = (): SourceIndex => (parsed ??= indexSources(root))
  const inputNames = Object.keys(action.inputs)
  return (key) => {
    switch (key) {
      case 'inputs':
        return unformatted(renderInputs(action))
      case 'outputs':
        return unformatted(renderOutputs(action))
      case 'inputs-summary':
        return unformatted(renderInputsSummary(action))
      case 'outputs-summary':
        return unformatted(renderOutputsSummary(action))
      case 'errors':
        return unformatted(renderErrorCatalog(collectErrorSites(index())))
      case 'input-checks':
        return unformatted(renderInputChecks(collectInputChecks(index(), new Set(inputNames)), inputNames))
      default: {
        const example = /^example (examples\/[\w.-]+\.ya?ml)$/.exec(key)?.[1]
        if (example === undefined) throw new Error(`unknown generated section '${key}'`)
        return ['```yaml', readFileSync(path.join(root, example), 'utf8').trimEnd(), '```'].join('\n')
      }
    }
  }
}

function unformatted(markdown: string): string {
  return `<!-- prettier-ignore-start -->\n${markdown}\n<!-- prettier-ignore-end -->`
}

/** The documents `npm run docs` writes, relative to the root: the README and every docs/*.md. */
export function generatedDocuments(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`)
  return ['README.md', ...docs]
}

/**
 * What `npm run docs` writes for one document: its generated sections rendered again, formatted as
 * `npm run format:check` expects it.
 */
export async function renderDocument(root: string, file: string, text: string): Promise<string> {
  const filepath = path.join(root, file)
  const options = (await prettier.resolveConfig(filepath)) ?? {}
  try {
    return await prettier.format(regenerate(text, projectSections(root)), { ...options, filepath })
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** The example files a document shows, in order. */
export function examplesShown(text: string): string[] {
  return [...text.matchAll(/<!-- BEGIN npm run docs: example (\S+) -->/g)].map((match) => match[1] ?? '')
}
