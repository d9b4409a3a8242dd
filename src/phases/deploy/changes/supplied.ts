import { isObject } from '../../../helm/result.js'

/** A short, keyed digest of a value: shows that it changed, never what it is. */
export type Fingerprint = (value: Buffer) => string

/**
 * Values the user supplied (values files, set, set-string: helm's `config`) are shown in no diff:
 * the chart may render a password into a ConfigMap, a container's env or a checksum annotation.
 * Shorter strings than this are left as they are (a port, `true`, a replica count: a fingerprint
 * everywhere they happen to occur would hide the diff, not a secret).
 */
const SHORTEST_SUPPLIED_SECRET = 4

/**
 * The strings of the user-supplied values (deployed and rendered) that the diff must not show:
 * every leaf string of SHORTEST_SUPPLIED_SECRET characters or more, but those the chart's own
 * defaults hold (no secret) and `visible` (the image this run sets, which the diff is for).
 */
export function suppliedSecrets(
  supplied: readonly unknown[],
  chartDefaults: unknown,
  visible: readonly unknown[],
): string[] {
  const known = new Set([...leafStrings(chartDefaults), ...visible.filter((v) => typeof v === 'string')])
  const secrets = new Set(
    supplied.flatMap(leafStrings).filter((s) => s.length >= SHORTEST_SUPPLIED_SECRET && !known.has(s)),
  )
  // Longest first, so a secret that contains another is replaced whole.
  return [...secrets].sort((a, b) => b.length - a.length)
}

/** Every string in a values tree (maps and lists walked). */
function leafStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(leafStrings)
  if (isObject(value)) return Object.values(value).flatMap(leafStrings)
  return []
}

/**
 * A function that replaces, in one string, every secret and its encoded forms (base64, base64url,
 * URL-encoded, JSON-escaped) by `<redacted:FINGERPRINT>`; a string that is as a whole the base64 of
 * a text holding a secret becomes one fingerprint. Equal secrets get equal fingerprints within one
 * comparison, so the diff still shows that a value changed.
 */
export function secretRedactor(
  secrets: readonly string[],
  fingerprint: Fingerprint,
): (text: string) => string {
  if (secrets.length === 0) return (text) => text
  const forms = secrets.flatMap((secret) => {
    const mark = `<redacted:${fingerprint(Buffer.from(secret, 'utf8')).slice(0, 12)}>`
    const base64 = Buffer.from(secret, 'utf8').toString('base64')
    const encoded = [
      secret,
      base64,
      base64.replace(/=+$/, ''),
      Buffer.from(secret, 'utf8').toString('base64url'),
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
    ]
    return [...new Set(encoded)].filter((form) => form.length > 0).map((form) => ({ form, mark }))
  })
  forms.sort((a, b) => b.form.length - a.form.length)
  return (text) => {
    const decoded = decodedBase64(text)
    if (decoded !== undefined) {
      const found = secrets.find((secret) => decoded.includes(secret))
      if (found !== undefined) return `<redacted:${fingerprint(Buffer.from(text, 'utf8')).slice(0, 12)}>`
    }
    return forms.reduce(
      (out, { form, mark }) => (out.includes(form) ? out.split(form).join(mark) : out),
      text,
    )
  }
}

/** The text a base64 (or base64url) string encodes, when it looks like one; else undefined. */
function decodedBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '')
  if (compact.length < 8 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return undefined
  return Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')
}

/** Every string of a parsed object (map keys as well) passed through `redact`; a new object. */
export function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, redact))
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [redact(key), redactStrings(child, redact)]),
    )
  return value
}
