import { createActionsRuntime } from '../../../src/runner/actions-runtime.js'

/** The timers the event loop still holds: a pending one keeps the process alive. */
const pendingTimers = (): number =>
  process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length

describe('the runtime sleep', () => {
  test('cut short by its signal, it resolves and leaves no timer to hold the process', async () => {
    const runtime = createActionsRuntime()
    const before = pendingTimers()
    const stop = new AbortController()
    const sleeping = runtime.sleep(3_600_000, stop.signal)
    expect(pendingTimers()).toBe(before + 1)
    stop.abort()
    await expect(sleeping).resolves.toBeUndefined()
    expect(pendingTimers()).toBe(before)
  })

  test('with a signal already aborted, it resolves without a timer', async () => {
    const runtime = createActionsRuntime()
    const before = pendingTimers()
    await expect(runtime.sleep(3_600_000, AbortSignal.abort())).resolves.toBeUndefined()
    expect(pendingTimers()).toBe(before)
  })
})
