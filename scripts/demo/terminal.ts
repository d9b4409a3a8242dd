import { paint, say } from './style.js'

const stripCode = (text: string): string => text.replace(/`([^`]*)`/g, '$1')
const stripTags = (text: string): string => text.replace(/<\/?[a-z][^>]*>/gi, '')

function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => stripCode(stripTags(cell.trim().replace(/\\\|/g, '|'))))
}

function printTable(rows: readonly string[][]): void {
  const body = rows.filter((row) => row.some((cell) => cell !== ''))
  const widths: number[] = []
  for (const row of body) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  for (const row of body) {
    const [first = '', ...rest] = row
    say(
      `  ${paint('bold', first.padEnd(widths[0] ?? 0))}  ${rest.map((cell, i) => cell.padEnd(widths[i + 1] ?? 0)).join('  ')}`.trimEnd(),
    )
  }
}

/** A job summary (Markdown, as GITHUB_STEP_SUMMARY holds it) as plain terminal text. */
export function printMarkdown(markdown: string): void {
  let table: string[][] = []
  const flush = () => {
    if (table.length > 0) printTable(table)
    table = []
  }
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    // The timeline's mermaid chart is for GitHub to draw; the table after it says the same.
    if (fence !== undefined) {
      if (line === fence) fence = undefined
      continue
    }
    if (/^`{3,}mermaid$/.test(line)) {
      fence = line.replace('mermaid', '')
      continue
    }
    if (/^\s*\|/.test(line)) {
      if (!/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(line)) table.push(cellsOf(line))
      continue
    }
    flush()
    const heading = /^#+\s+(.*)$/.exec(line)
    if (heading?.[1] !== undefined) say(`  ${paint('bold', stripCode(heading[1]))}`)
    else if (stripTags(line).trim() !== '') say(`  ${stripCode(stripTags(line))}`)
  }
  flush()
}

/** The step's outputs, one per line, the empty ones left out. */
export function printOutputs(outputs: Readonly<Record<string, string>>): void {
  const entries = Object.entries(outputs).filter(([, value]) => value !== '')
  const width = Math.max(...entries.map(([name]) => name.length))
  for (const [name, value] of entries) say(`  ${paint('bold', name.padEnd(width))}  ${value}`)
}
