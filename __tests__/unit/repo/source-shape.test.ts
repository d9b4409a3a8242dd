import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

// The house rules that hold for the whole tree (STYLE.md 5): small files, and imports that never run
// in a circle (a type lives with the module that owns it). Type-only imports count too: a circle of
// types is a circle of ownership.
const ROOT = path.join(import.meta.dirname, '..', '..', '..')
const SRC = path.join(ROOT, 'src')
const MAX_LINES = 300

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(file)
    return entry.name.endsWith('.ts') ? [file] : []
  })
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map((match) =>
    path.resolve(path.dirname(file), (match[1] ?? '').replace(/\.js$/, '.ts')),
  )
}

/** Every circle of the graph, each as the files in the order they import one another. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of graph.keys()) if (!state.has(file)) visit(file)
  return cycles
}

const files = sourceFiles(SRC)
const relative = (file: string): string => path.relative(ROOT, file)

test('no import of src/ runs in a circle', () => {
  const graph = new Map(files.map((file) => [file, importsOf(file)] as const))
  expect(findCycles(graph).map((cycle) => cycle.map(relative).join(' -> '))).toEqual([])
})

test.each(files.map(relative))(`%s has at most ${MAX_LINES} lines`, (file) => {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n').length
  expect(lines).toBeLessThanOrEqual(MAX_LINES)
})

test('the circle finder finds a circle', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ])
  expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']])
})
