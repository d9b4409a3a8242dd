/** Jittered exponential backoff ("full jitter") within a bounded number of attempts and total time. */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** No new attempt starts after this much time since the first one began. */
  readonly budgetMs: number
}

export interface RetryClock {
  now(): number
  sleep(ms: number): Promise<void>
  random?: () => number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  budgetMs: 30_000,
}

export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
    /** From the first attempt's start to the last one's failure. */
    readonly elapsedMs = 0,
  ) {
    const within = elapsedMs > 0 ? ` in ${(elapsedMs / 1000).toFixed(1)} s` : ''
    super(`gave up after ${attempts} attempt${attempts > 1 ? 's' : ''}${within}`, { cause: lastError })
    this.name = 'RetriesExhaustedError'
  }
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the policy's attempts or time budget run out.
 * Each attempt is told how much of the budget is left, so that it can bound its own wait: a budget
 * checked only between attempts would never stop an attempt that hangs.
 */
export async function retry<T>(
  attempt: (attemptNumber: number, remainingMs: number) => Promise<T>,
  options: {
    readonly isRetryable: (error: unknown) => boolean
    readonly policy?: RetryPolicy
    readonly clock: RetryClock
    readonly onRetry?: (error: unknown, attemptNumber: number, delayMs: number) => void
  },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY
  const random = options.clock.random ?? Math.random
  const started = options.clock.now()
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber, Math.max(0, policy.budgetMs - (options.clock.now() - started)))
    } catch (error) {
      if (!options.isRetryable(error)) throw error
      const delayMs = Math.round(
        random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1)),
      )
      const elapsed = options.clock.now() - started
      // No attempt starts with less of the budget left than the base delay: it could not do anything.
      if (attemptNumber >= policy.maxAttempts || elapsed + delayMs > policy.budgetMs - policy.baseDelayMs) {
        throw new RetriesExhaustedError(attemptNumber, error, elapsed)
      }
      options.onRetry?.(error, attemptNumber, delayMs)
      await options.clock.sleep(delayMs)
    }
  }
}
