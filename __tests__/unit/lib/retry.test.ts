import {
  DEFAULT_RETRY_POLICY,
  RetriesExhaustedError,
  retry,
  type RetryPolicy,
} from '../../../src/lib/retry.js'

class Transient extends Error {
  override readonly name = 'Transient'
}
class Fatal extends Error {
  override readonly name = 'Fatal'
}

/** A clock that only moves when slept on (or when a test advances it), with a fixed random draw. */
function fakeClock(random: number) {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.sleeps.push(ms)
      clock.time += ms
      return Promise.resolve()
    },
    random: () => random,
  }
  return clock
}

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 3000, budgetMs: 60_000 }
const isRetryable = (error: unknown): boolean => error instanceof Transient

/** An attempt function that fails with the given errors in turn, then returns 'done'. */
function failing(errors: readonly Error[], onAttempt: (attempt: number) => void = () => undefined) {
  const attempts: number[] = []
  const fn = (attempt: number): Promise<string> => {
    attempts.push(attempt)
    onAttempt(attempt)
    const error = errors[attempts.length - 1]
    return error === undefined ? Promise.resolve('done') : Promise.reject(error)
  }
  return { fn, attempts }
}

describe('retry', () => {
  test('a first success: one attempt, no sleep', async () => {
    const clock = fakeClock(0.5)
    const { fn, attempts } = failing([])
    await expect(retry(fn, { isRetryable, clock, policy: POLICY })).resolves.toBe('done')
    expect(attempts).toEqual([1])
    expect(clock.sleeps).toEqual([])
  })

  test.each([
    [1, [500, 1000, 2000, 3000]],
    [0.5, [250, 500, 1000, 1500]],
    [0, [0, 0, 0, 0]],
    [0.999, [500, 999, 1998, 2997]],
  ])(
    'full jitter: random %d × min(max delay, base × 2^n) before each retry',
    async (random, expectedSleeps) => {
      const clock = fakeClock(random)
      const { fn, attempts } = failing([1, 2, 3, 4].map(() => new Transient('flaky')))
      await expect(retry(fn, { isRetryable, clock, policy: POLICY })).resolves.toBe('done')
      expect(attempts).toEqual([1, 2, 3, 4, 5])
      expect(clock.sleeps).toEqual(expectedSleeps)
    },
  )

  test('gives up after maxAttempts with the last error', async () => {
    const clock = fakeClock(1)
    const errors = [1, 2, 3, 4, 5, 6].map((n) => new Transient(`flaky ${n}`))
    const { fn, attempts } = failing(errors)
    const error = await retry(fn, { isRetryable, clock, policy: POLICY }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetriesExhaustedError)
    expect(error).toMatchObject({ attempts: 5, lastError: errors[4], cause: errors[4] })
    // The clock moved only by the four delays: 1 × (500 + 1000 + 2000 + 3000) ms.
    expect((error as Error).message).toBe('gave up after 5 attempts in 6.5 s')
    expect(error).toMatchObject({ elapsedMs: 6500 })
    expect(attempts).toEqual([1, 2, 3, 4, 5])
    expect(clock.sleeps).toHaveLength(4)
  })

  test('one allowed attempt: "1 attempt"', async () => {
    const { fn } = failing([new Transient('flaky')])
    const error = await retry(fn, {
      isRetryable,
      clock: fakeClock(1),
      policy: { ...POLICY, maxAttempts: 1 },
    }).catch((e: unknown) => e)
    expect((error as Error).message).toBe('gave up after 1 attempt')
  })

  test('no retry starts when its delay would pass the time budget', async () => {
    const clock = fakeClock(1)
    // Each attempt takes 400 ms; delays 500, 1000: the second retry would start at 2300 > 2000.
    const { fn, attempts } = failing(
      [1, 2, 3, 4].map(() => new Transient('slow')),
      () => (clock.time += 400),
    )
    const error = await retry(fn, { isRetryable, clock, policy: { ...POLICY, budgetMs: 2000 } }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'RetriesExhaustedError', attempts: 2 })
    expect(attempts).toEqual([1, 2])
    expect(clock.sleeps).toEqual([500])
    expect(clock.time).toBeLessThanOrEqual(2000)
  })

  test('each attempt is told what is left of the budget, so it can bound its own wait', async () => {
    const clock = fakeClock(1)
    const remaining: number[] = []
    const fn = (_attempt: number, remainingMs: number): Promise<string> => {
      remaining.push(remainingMs)
      clock.time += 700
      return Promise.reject(new Transient('slow'))
    }
    await expect(
      retry(fn, { isRetryable, clock, policy: { ...POLICY, budgetMs: 3000 } }),
    ).rejects.toMatchObject({ attempts: 2, elapsedMs: 1900 })
    // 3000; 3000 - 700 (attempt 1) - 500 (delay). A third would start with 3000 - 1900 - 1000 = 100 ms
    // left, less than the base delay (500): not worth starting.
    expect(remaining).toEqual([3000, 1800])
  })

  test('a non-retryable error passes through at once, unchanged', async () => {
    const clock = fakeClock(1)
    const fatal = new Fatal('no')
    const { fn, attempts } = failing([new Transient('flaky'), fatal])
    await expect(retry(fn, { isRetryable, clock, policy: POLICY })).rejects.toBe(fatal)
    expect(attempts).toEqual([1, 2])
    expect(clock.sleeps).toEqual([500])
  })

  test('onRetry hears each retry: the error, the attempt that failed, the delay', async () => {
    const clock = fakeClock(0.5)
    const errors = [new Transient('a'), new Transient('b')]
    const { fn } = failing(errors)
    const heard: unknown[] = []
    await retry(fn, {
      isRetryable,
      clock,
      policy: POLICY,
      onRetry: (error, attempt, delay) => heard.push([error, attempt, delay]),
    })
    expect(heard).toEqual([
      [errors[0], 1, 250],
      [errors[1], 2, 500],
    ])
  })

  test('the default policy: 5 attempts within 30 s, delays capped at 8 s', async () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 8000,
      budgetMs: 30_000,
    })
    const clock = fakeClock(1)
    const { fn, attempts } = failing([1, 2, 3, 4, 5].map(() => new Transient('down')))
    await expect(retry(fn, { isRetryable, clock })).rejects.toBeInstanceOf(RetriesExhaustedError)
    expect(attempts).toHaveLength(5)
    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000])
  })
})
