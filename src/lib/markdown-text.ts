/**
 * Outside text (cluster objects, events, logs, chart metadata, AWS answers) for the job summary and
 * the pull-request comment, shown as it is: no HTML, table cell, heading, emphasis, code span or link
 * of its own, and no notification. Numeric character references work both in markdown and inside the
 * HTML blocks (<summary>, <pre>) the reports use. GitHub finds @mentions and #123 references in the
 * rendered text (after references are decoded), so those also get a zero-width space: `@&#8203;team`
 * reads as @team and notifies nobody. A bare URL stays a link: it shows where it leads (a link that
 * hides its target needs `[`, `]` or `<`, all escaped), and an endpoint in the summary stays copyable.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, (match, notice?: string) => {
    return notice === undefined ? reference(match) : `${reference(notice)}${ZERO_WIDTH}`
  })
}

const reference = (char: string): string => `&#${char.charCodeAt(0)};`

// In one pass, so that the references it writes are not escaped again: a mention or an issue
// reference, then each character markdown or HTML reads (parentheses make a link only after a `]`).
const SPECIAL = /(@(?=[\w-])|#(?=\d))|[&<>"'|`*_~[\]!\\#@]/g
const ZERO_WIDTH = '&#8203;'
