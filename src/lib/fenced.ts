/** A markdown code fence longer than any run of backticks in the text, so the text cannot close it. */
export function fenced(text: string, language: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  return [`${fence}${language}`, text, fence]
}
