import type { UrlCheck } from '../../../inputs/types.js'
import { messageOf } from '../../../lib/errors.js'
import { printable } from '../../../lib/printable.js'
import type { Runtime } from '../../../runner/runtime.js'
import type { CheckResult } from './types.js'

/** The part of fetch() an HTTP check uses. */
export type HttpFetch = (
  url: string,
  init: { readonly signal: AbortSignal; readonly redirect: 'follow' },
) => Promise<{ readonly status: number; text(): Promise<string> }>

export interface HttpCheckDeps {
  readonly fetch: HttpFetch
  readonly runtime: Pick<Runtime, 'info' | 'now' | 'sleep'>
  /** The budget's end or a cancelled job. */
  readonly signal: AbortSignal
}

/** Between two tries of a URL. */
export const RETRY_MS = 3_000
/** One try: a server that holds the connection open does not hold the check. */
const ATTEMPT_MS = 10_000
/** The body is matched within its first MiB. */
const MAX_BODY = 1024 * 1024

/** What one answer says: undefined when it is the expected one, else why not. Pure. */
export function judgeAnswer(check: UrlCheck, status: number, body: string): string | undefined {
  const isStatusOk =
    check.expectedStatus === undefined ? status >= 200 && status < 300 : status === check.expectedStatus
  if (!isStatusOk) return `answered ${status} (expected ${check.expectedStatus ?? '2xx'})`
  if (check.bodyPattern !== undefined && !new RegExp(check.bodyPattern).test(body.slice(0, MAX_BODY)))
    return `answered ${status}, but the body does not match /${check.bodyPattern}/`
  return undefined
}

/**
 * GETs the URL from the runner until it answers as expected, retrying every RETRY_MS until
 * `windowEndMs` (a deploy's new pods may take a moment behind a load balancer). Only the shown URL
 * (query values hidden) reaches the log.
 */
export async function checkUrl(
  check: UrlCheck,
  windowEndMs: number,
  deps: HttpCheckDeps,
): Promise<Omit<CheckResult, 'seconds'>> {
  const { runtime } = deps
  const base = { kind: 'http', name: `GET ${check.shownUrl}` } as const
  let tries = 0
  // The last answer the URL gave: a try cut short by the budget (or a cancel) does not replace it.
  let answered: { problem: string; tries: number } | undefined
  for (;;) {
    tries += 1
    const problem = await tryOnce(check, deps)
    if (problem === undefined)
      return {
        ...base,
        status: 'passed',
        detail: `${check.expectedStatus ?? '2xx'} after ${triesText(tries)}`,
      }
    const isCut = isStopped(deps)
    if (!isCut || answered === undefined) answered = { problem, tries }
    if (isCut) break
    runtime.info(`GET ${check.shownUrl}: try ${tries} ${printable(problem, 300)}`)
    if (runtime.now() + RETRY_MS >= windowEndMs) break
    await runtime.sleep(RETRY_MS, deps.signal)
    if (isStopped(deps)) break
  }
  return {
    ...base,
    status: 'failed',
    detail: `${printable(answered.problem, 300)} on ${triesText(answered.tries)}`,
  }
}

async function tryOnce(check: UrlCheck, deps: HttpCheckDeps): Promise<string | undefined> {
  const signal = AbortSignal.any([deps.signal, AbortSignal.timeout(ATTEMPT_MS)])
  try {
    const response = await deps.fetch(check.url, { signal, redirect: 'follow' })
    const body = check.bodyPattern === undefined ? '' : await response.text()
    return judgeAnswer(check, response.status, body)
  } catch (error) {
    if (deps.signal.aborted) return 'was stopped (verify-timeout, or the job was cancelled)'
    // The error may quote the URL with its query: only the reason is kept.
    const cause = (error as { cause?: unknown }).cause
    const why =
      cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : messageOf(error)
    return `could not be fetched: ${signal.aborted ? `no answer within ${ATTEMPT_MS / 1000} s` : why}`
  }
}

// A function, so that the compiler does not take the signal for unchanged across an await.
const isStopped = (deps: HttpCheckDeps): boolean => deps.signal.aborted

const triesText = (tries: number): string => `${tries} ${tries === 1 ? 'try' : 'tries'}`
