/** Text for one cell of a GitHub-flavoured Markdown table. */

/** Escapes what Markdown would read as a table border or HTML, outside `code spans` (pipes inside too). */
function escapeLine(line: string): string {
  return line
    .split(/(`[^`]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part.replace(/\|/g, '\\|')
        : part.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    )
    .join('')
}

/**
 * A cell: line breaks become <br>, and an indented line (a command or YAML the message shows) a code
 * span, so that it stays copyable.
 */
export function cell(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) =>
      /^\s{2,}\S/.test(line) && !line.includes('`')
        ? `\`${line.trim().replace(/\|/g, '\\|')}\``
        : escapeLine(line),
    )
    .join('<br>')
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')
}
