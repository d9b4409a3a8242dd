import { paint, say } from './style.js'

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** HTML character references (`&#34;`, `&#x27;`, `&amp;`) as the browser shows them. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1))
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole
  })
}

const stripTags = (text: string): string => text.replace(/<\/?[a-z][^>]*>/gi, '')

/** Inline markdown as GitHub shows it: code spans as their text, bold in bold, tags gone, entities decoded. */
function inline(text: string): string {
  const parts = stripTags(text).split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/)
  let out = ''
  // split with two groups: text, fence, code, text, fence, code, ...
  for (let i = 0; i < parts.length; i += 3) {
    out += decodeEntities(
      (parts[i] ?? '').replace(/\*\*([^*]+)\*\*/g, (_, bold: string) => paint('bold', bold)),
    )
    if (i + 2 < parts.length) out += parts[i + 2] ?? ''
  }
  return out
}

function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.trim().replace(/\\\|/g, '|')))
}

function tableLines(rows: readonly string[][]): string[] {
  const body = rows.filter((row) => row.some((cell) => cell !== ''))
  const widths: number[] = []
  for (const row of body) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return body.map((row) => {
    const [first = '', ...rest] = row
    return `${paint('bold', first.padEnd(widths[0] ?? 0))}  ${rest.map((cell, i) => cell.padEnd(widths[i + 1] ?? 0)).join('  ')}`.trimEnd()
  })
}

/** A code block: its lines as they are, set off from the text. */
const codeLine = (line: string): string => paint('gray', `  │ ${line}`)

/**
 * A job summary (Markdown with inline HTML, as GITHUB_STEP_SUMMARY holds it) as terminal lines, the
 * way GitHub renders it: fenced blocks shown as code (their text as it is), `<pre>` blocks as code with
 * their character references decoded, tables aligned, tags dropped, `&#34;` shown as `"`. The
 * timeline's mermaid chart is for GitHub to draw; the table after it says the same.
 */
export function renderMarkdown(markdown: string): string[] {
  const out: string[] = []
  let table: string[][] = []
  const flush = () => {
    if (table.length > 0) out.push(...tableLines(table))
    table = []
  }
  let fence: { readonly close: RegExp; readonly isShown: boolean } | undefined
  let isInPre = false
  for (const line of markdown.split('\n')) {
    if (fence !== undefined) {
      if (fence.close.test(line)) fence = undefined
      else if (fence.isShown) out.push(codeLine(line))
      continue
    }
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line)
    if (open?.[1] !== undefined) {
      flush()
      // CommonMark: the closing fence is the same character, at least as long.
      fence = {
        close: new RegExp(`^ {0,3}${open[1][0] === '`' ? '`' : '~'}{${open[1].length},}\\s*$`),
        isShown: open[2] !== 'mermaid',
      }
      continue
    }
    if (isInPre || /<pre>/i.test(line)) {
      flush()
      isInPre = !/<\/pre>/i.test(line)
      const text = decodeEntities(stripTags(line))
      if (text !== '' || isInPre) out.push(codeLine(text))
      continue
    }
    if (/^\s*\|/.test(line)) {
      if (!/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(line)) table.push(cellsOf(line))
      continue
    }
    flush()
    const heading = /^#+\s+(.*)$/.exec(line)
    if (heading?.[1] !== undefined) out.push(paint('bold', inline(heading[1])))
    else if (stripTags(line).trim() !== '') out.push(inline(line))
  }
  flush()
  return out
}

export function printMarkdown(markdown: string): void {
  for (const line of renderMarkdown(markdown)) say(`  ${line}`)
}

/** The step's outputs, one per line, the empty ones left out. */
export function printOutputs(outputs: Readonly<Record<string, string>>): void {
  const entries = Object.entries(outputs).filter(([, value]) => value !== '')
  const width = Math.max(...entries.map(([name]) => name.length))
  for (const [name, value] of entries) say(`  ${paint('bold', name.padEnd(width))}  ${value}`)
}
