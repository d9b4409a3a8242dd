import { parseGoDuration } from './deploy.js'
import { isHttpUrl } from './patterns.js'
import type { InputProblems } from './problems.js'
import type { AlarmSelector, UrlCheck, VerifyInputs, VerifyRollback } from './types.js'

// Readers of the verification inputs (issue 24): helm-test, verify-urls, verify-alarms, bake-minutes,
// verify-timeout, verify-rollback.

/** The literal that stands for environment-url's value at the start of a verify-urls line. */
const ENVIRONMENT_URL = 'environment-url'
const MAX_BAKE_MINUTES = 720
// CloudWatch's alarm names: 1-255 characters; DescribeAlarms takes at most 100 names in one call.
const MAX_ALARM_NAME = 255

export function readVerify(p: InputProblems, environmentUrl: string | undefined): VerifyInputs {
  const urls = p
    .list('verify-urls', { commas: false })
    .map((line) => readUrlCheck(p, line, environmentUrl))
    .filter((check): check is UrlCheck => check !== undefined)
  const alarms = p
    .list('verify-alarms')
    .map((item) => readAlarm(p, item))
    .filter((alarm): alarm is AlarmSelector => alarm !== undefined)
  const bakeSeconds = readBakeSeconds(p)
  const timeout = p.optional('verify-timeout') ?? '10m'
  const timeoutSeconds = parseGoDuration(timeout)
  if (timeoutSeconds === undefined || timeoutSeconds < 1 || timeoutSeconds > 24 * 3600)
    p.add('verify-timeout', timeout, 'must be a Go duration from 1s to 24h, such as 10m or 90s.')
  else if (bakeSeconds >= timeoutSeconds)
    p.add(
      'verify-timeout',
      timeout,
      `must be longer than bake-minutes (${bakeSeconds} s): the bake is part of verification's one budget.`,
    )
  if (bakeSeconds > 0 && alarms.length === 0)
    p.warn(
      'bake-minutes',
      p.raw('bake-minutes'),
      'bakes only with verify-alarms: nothing is watched without them.',
    )
  return {
    isHelmTest: p.bool('helm-test', false),
    urls,
    alarms,
    bakeSeconds,
    timeout,
    timeoutSeconds: Math.ceil(timeoutSeconds ?? 600),
    rollback: p.choice<VerifyRollback>('verify-rollback', ['true', 'false', 'uninstall'], 'true'),
  }
}

/** Whether any check was asked for: verification is off without one. */
export const hasVerification = (verify: VerifyInputs): boolean =>
  verify.isHelmTest || verify.urls.length > 0 || verify.alarms.length > 0

/** `URL [STATUS] [BODY-PATTERN]`: the pattern is the rest of the line (it may hold spaces). Pure. */
function readUrlCheck(
  p: InputProblems,
  line: string,
  environmentUrl: string | undefined,
): UrlCheck | undefined {
  const [first = '', second, ...rest] = line.split(/\s+/)
  let url = first
  if (first === ENVIRONMENT_URL) {
    if (environmentUrl === undefined) {
      p.add(
        'verify-urls',
        line,
        `names ${ENVIRONMENT_URL}, which is not given: set environment-url or write the URL.`,
      )
      return undefined
    }
    url = environmentUrl
  }
  if (!isHttpUrl(url)) {
    p.add(
      'verify-urls',
      shownUrl(url),
      `each line must start with an http(s):// URL (or ${ENVIRONMENT_URL}).`,
    )
    return undefined
  }
  const hasStatus = second !== undefined && /^\d{3}$/.test(second)
  const expectedStatus = hasStatus ? Number(second) : undefined
  if (expectedStatus !== undefined && (expectedStatus < 100 || expectedStatus > 599))
    p.add(
      'verify-urls',
      `${shownUrl(url)} ${second}`,
      'an expected status must be an HTTP status from 100 to 599.',
    )
  const pattern = [...(hasStatus || second === undefined ? [] : [second]), ...rest].join(' ')
  if (pattern !== '' && !isRegExp(pattern)) {
    p.add(
      'verify-urls',
      shownUrl(url),
      `the body pattern ${JSON.stringify(pattern)} is not a regular expression.`,
    )
    return undefined
  }
  return {
    url,
    shownUrl: shownUrl(url),
    expectedStatus,
    bodyPattern: pattern === '' ? undefined : pattern,
  }
}

/** The URL as the log may show it: user info and query values (tokens, signatures) hidden. Pure. */
export function shownUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return text.replace(/\?.*$/, '?…')
  }
  if (url.username !== '' || url.password !== '') {
    url.username = '***'
    url.password = ''
  }
  const keys = [...url.searchParams.keys()]
  url.search = ''
  url.hash = ''
  const query = keys.map((key) => `${encodeURIComponent(key)}=***`).join('&')
  return `${url.toString()}${query === '' ? '' : `?${query}`}`
}

function readAlarm(p: InputProblems, item: string): AlarmSelector | undefined {
  const isPrefix = item.endsWith('*')
  const name = isPrefix ? item.slice(0, -1) : item
  if (name === '' || name.length > MAX_ALARM_NAME || name.includes('*')) {
    p.add(
      'verify-alarms',
      item,
      'each item must be a CloudWatch alarm name, or a name prefix ending in one * (api-prod-*).',
    )
    return undefined
  }
  return isPrefix ? { kind: 'prefix', prefix: name } : { kind: 'name', name }
}

function readBakeSeconds(p: InputProblems): number {
  const raw = p.optional('bake-minutes')
  if (raw === undefined) return 0
  const minutes = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isFinite(minutes) || minutes > MAX_BAKE_MINUTES) {
    p.add('bake-minutes', raw, `must be a number of minutes from 0 to ${MAX_BAKE_MINUTES}, such as 5 or 0.5.`)
    return 0
  }
  return Math.round(minutes * 60 * 1000) / 1000
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch {
    return false
  }
}
