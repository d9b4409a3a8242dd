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
  ) {
    super(`gave up after ${attempts} attempt${attempts > 1 ? 's' : ''}`, { cause: lastError })
    this.name = 'RetriesExhaustedError'
  }
}

export async function retry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
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
      return await attempt(attemptNumber)
    } catch (error) {
      if (!options.isRetryable(error)) throw error
      const delayMs = Math.round(
        random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1)),
      )
      const elapsed = options.clock.now() - started
      if (attemptNumber >= policy.maxAttempts || elapsed + delayMs > policy.budgetMs) {
        throw new RetriesExhaustedError(attemptNumber, error)
      }
      options.onRetry?.(error, attemptNumber, delayMs)
      await options.clock.sleep(delayMs)
    }
  }
}
