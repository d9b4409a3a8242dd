/** A change to a document's text: `length` characters at `at` replaced by `insert`. */
export interface TextEdit {
  readonly at: number
  readonly length: number
  readonly insert: string
}

/**
 * The text with the edits made, the rest untouched (edits never overlap: each names one node). Edits
 * to the source instead of a re-serialized document keep everything else exactly as written.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) {
    result = result.slice(0, edit.at) + edit.insert + result.slice(edit.at + edit.length)
  }
  return result
}

/** A string as a YAML scalar: JSON's double-quoted form is also YAML's, in block and flow context. */
export const quoted = (value: string): string => JSON.stringify(value)
