import { shorten } from './printable.js'

/** The one error type of the action: what happened (message), how to fix it (hint), and why (cause). */
export class ActionError extends Error {
  readonly hint: string | undefined

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ActionError'
    this.hint = options.hint
  }
}

interface AwsErrorShape {
  name?: unknown
  message?: unknown
  $metadata?: { requestId?: unknown; httpStatusCode?: unknown }
}

/**
 * The AWS error name, HTTP status and request id of an SDK error that AWS answered; undefined for
 * anything else (an SDK error without a status never reached AWS, so it has no facts to keep).
 */
export function describeAwsError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined
  const e = error as AwsErrorShape
  const parts = [typeof e.name === 'string' ? e.name : 'Error']
  const status = e.$metadata?.httpStatusCode
  if (typeof status === 'number') parts.push(`HTTP ${status}`)
  const requestId = e.$metadata?.requestId
  if (typeof requestId === 'string' && requestId !== '') parts.push(`request id ${requestId}`)
  return parts.length > 1 ? parts.join(', ') : undefined
}

/** The message of anything thrown: an Error's message (or name), a string, else a short JSON form. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message === '' ? error.name : error.message
  if (typeof error === 'string') return error
  // undefined, numbers, symbols, functions: JSON.stringify gives undefined or a bare value for these.
  if (typeof error !== 'object' || error === null) return String(error)
  // An Error of another realm (a vm context, a worker) is one by shape only.
  const { message } = error as { message?: unknown }
  if (typeof message === 'string' && message !== '') return message
  try {
    return shorten(JSON.stringify(error), MAX_FOREIGN_LENGTH)
  } catch {
    return Object.prototype.toString.call(error)
  }
}

/** An Error as `Name: message` (for causes whose class says what failed: TimeoutError, CredentialsProviderError). */
export function namedMessageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : messageOf(error)
}

// A thrown object may hold anything (a whole HTTP packet): the failure quotes only its start.
const MAX_FOREIGN_LENGTH = 300

/** A phase that failed, and what it threw. */
export interface FailedPhase {
  readonly phase: string
  readonly error: unknown
}

/**
 * The step's failure with the phase it happened in; or several, when phases that ran side by side
 * failed together (each is shown, and `hint` may say what they mean together).
 */
export class PhaseFailure extends Error {
  constructor(
    readonly failures: readonly [FailedPhase, ...FailedPhase[]],
    readonly hint: string | undefined,
  ) {
    super(failures.map((failure) => messageOf(failure.error)).join('\n'), { cause: failures[0].error })
    this.name = 'PhaseFailure'
  }

  get phases(): string[] {
    return this.failures.map((failure) => failure.phase)
  }
}

/** What `phase` threw, marked with its name; an error already marked (by a part of it) keeps its own. */
export function failedIn(phase: string, error: unknown): PhaseFailure {
  return error instanceof PhaseFailure ? error : new PhaseFailure([{ phase, error }], undefined)
}

/** The errors of phases that ran side by side as one failure, each with its phase. */
export function failedTogether(
  failures: readonly [PhaseFailure, ...PhaseFailure[]],
  hint: string | undefined,
): PhaseFailure {
  const [first, ...rest] = failures.flatMap((failure) => failure.failures)
  if (first === undefined || (rest.length === 0 && hint === undefined)) return failures[0]
  return new PhaseFailure([first, ...rest], hint)
}

/** The names of an error and of its causes (`ActionError`, `ResourceNotFoundException`, ...). */
export function errorNames(error: unknown): string[] {
  const names: string[] = []
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    names.push(cause.name)
    cause = cause.cause
  }
  return names
}

/**
 * Turns anything thrown into the text of the step's failure: message, AWS facts, cause chain, hint,
 * and the phase it failed in (each phase's, when several failed side by side).
 */
export function formatFailure(error: unknown): string {
  if (!(error instanceof PhaseFailure)) return formatError(error)
  const { failures, hint } = error
  const [only] = failures
  const lines =
    failures.length === 1
      ? [formatError(only.error), '', `Failed in phase ${only.phase}.`]
      : [
          `${failures.length} phases that ran side by side failed: ${listOf(error.phases)}.`,
          ...failures.flatMap((failure) => ['', `Phase ${failure.phase}: ${formatError(failure.error)}`]),
        ]
  if (hint !== undefined) lines.push('', hint)
  return lines.join('\n')
}

/** `a`, `a and b`, `a, b and c` */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

function formatError(error: unknown): string {
  const lines = [messageOf(error)]
  const aws = describeAwsError(error)
  if (aws !== undefined) lines[0] = `${lines[0]} (${aws})`
  let cause = error instanceof Error ? error.cause : undefined
  for (let depth = 0; cause !== undefined && depth < 3; depth++) {
    const text = messageOf(cause)
    const causeAws = describeAwsError(cause)
    if (!lines.some((line) => line.includes(text))) {
      lines.push(`Caused by: ${text}${causeAws === undefined ? '' : ` (${causeAws})`}`)
    } else if (causeAws !== undefined) {
      // The message already quotes the cause; its request id is what AWS support asks for.
      lines.push(`AWS error: ${causeAws}`)
    }
    cause = cause instanceof Error ? cause.cause : undefined
  }
  if (error instanceof ActionError && error.hint !== undefined) lines.push('', error.hint)
  return lines.join('\n')
}
