import { runInBufferedGroup } from '../../src/buffered-group.js'
import { FakeRuntime } from '../fixtures/fake-runtime.js'

test('lines are held and printed inside one group at the end; secrets are masked at once', async () => {
  const runtime = new FakeRuntime()
  const result = await runInBufferedGroup(runtime, 'Phase A', async (buffered) => {
    buffered.info('first')
    buffered.setSecret('s3cret')
    expect(runtime.secrets).toEqual(['s3cret'])
    expect(runtime.logs).toEqual([])
    buffered.warning('careful')
    await buffered.sleep(10)
    buffered.debug('detail')
    return 42
  })
  expect(result).toBe(42)
  expect(runtime.logs).toEqual(['group: Phase A', 'first', 'warning: careful', 'debug: detail'])
  expect(runtime.sleeps).toEqual([10])
})

test('a failing phase still prints what it logged, then fails', async () => {
  const runtime = new FakeRuntime()
  await expect(
    runInBufferedGroup(runtime, 'Phase B', (buffered) => {
      buffered.info('before the failure')
      return Promise.reject(new Error('boom'))
    }),
  ).rejects.toThrow('boom')
  expect(runtime.logs).toEqual(['group: Phase B', 'before the failure'])
})

test('two phases side by side do not interleave their groups', async () => {
  const runtime = new FakeRuntime()
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  await Promise.all([
    runInBufferedGroup(runtime, 'Slow', async (buffered) => {
      buffered.info('slow 1')
      await gate
      buffered.info('slow 2')
    }),
    runInBufferedGroup(runtime, 'Fast', (buffered) => {
      buffered.info('fast 1')
      release()
      return Promise.resolve()
    }),
  ])
  expect(runtime.logs).toEqual(['group: Fast', 'fast 1', 'group: Slow', 'slow 1', 'slow 2'])
})
