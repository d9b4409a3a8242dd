/**
 * Outside text (cluster objects, events, logs, chart metadata, AWS answers) for the job summary and
 * the pull-request comment, shown as it is: no HTML, table cell, heading, emphasis, code span or link
 * of its own, and no notification. Numeric character references work both in markdown and inside the
 * HTML blocks (<summary>, <pre>) the reports use. GitHub finds @mentions, #123 references and bare
 * URLs in the rendered text (after references are decoded), so those also get a zero-width space:
 * `@&#8203;team` reads as @team and notifies nobody.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, (match, notice?: string) => {
    if (notice !== undefined) return `${reference(notice)}${ZERO_WIDTH}`
    if (match === '://') return `:${ZERO_WIDTH}//`
    if (match.length > 1) return `${match.slice(0, 3)}${ZERO_WIDTH}.`
    return reference(match)
  })
}

const reference = (char: string): string => `&#${char.charCodeAt(0)};`

// In one pass, so that the references it writes are not escaped again: a mention or an issue
// reference, a URL's scheme separator or www. host (GitHub's autolinks), then each character
// markdown or HTML reads (parentheses make a link only after a `]`, which is escaped).
const SPECIAL = /(@(?=[\w-])|#(?=\d))|:\/\/|\bwww\.|[&<>"'|`*_~[\]!\\#@]/gi
const ZERO_WIDTH = '&#8203;'
