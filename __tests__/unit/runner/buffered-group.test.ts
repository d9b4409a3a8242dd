import { runBuffered } from '../../../src/runner/buffered-group.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'

test('lines are held and printed inside the group the work opened; secrets are masked at once', async () => {
  const runtime = new FakeRuntime()
  const result = await runBuffered(runtime, (buffered) =>
    buffered.group('Phase A', async () => {
      buffered.info('first')
      buffered.setSecret('s3cret')
      expect(runtime.secrets).toEqual(['s3cret'])
      expect(runtime.logs).toEqual([])
      buffered.warning('careful')
      await buffered.sleep(10)
      buffered.debug('detail')
      return 42
    }),
  )
  expect(result).toBe(42)
  expect(runtime.logs).toEqual(['group: Phase A', 'first', 'warning: careful', 'debug: detail'])
  expect(runtime.sleeps).toEqual([10])
})

test('a failing phase still prints what it logged, then fails', async () => {
  const runtime = new FakeRuntime()
  await expect(
    runBuffered(runtime, (buffered) =>
      buffered.group('Phase B', () => {
        buffered.info('before the failure')
        return Promise.reject(new Error('boom'))
      }),
    ),
  ).rejects.toThrow('boom')
  expect(runtime.logs).toEqual(['group: Phase B', 'before the failure'])
})

test('lines outside any group print ungrouped, before and after the groups in order', async () => {
  const runtime = new FakeRuntime()
  await runBuffered(runtime, async (buffered) => {
    buffered.info('outside')
    await buffered.group('One', () => {
      buffered.info('in one')
      return Promise.resolve()
    })
    await buffered.group('Two', () => {
      buffered.info('in two')
      return Promise.resolve()
    })
  })
  expect(runtime.logs).toEqual(['outside', 'group: One', 'in one', 'group: Two', 'in two'])
})

test('two phases side by side do not interleave their groups', async () => {
  const runtime = new FakeRuntime()
  let release: () => void = () => undefined
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  await Promise.all([
    runBuffered(runtime, (buffered) =>
      buffered.group('Slow', async () => {
        buffered.info('slow 1')
        await gate
        buffered.info('slow 2')
      }),
    ),
    runBuffered(runtime, (buffered) =>
      buffered.group('Fast', () => {
        buffered.info('fast 1')
        release()
        return Promise.resolve()
      }),
    ),
  ])
  expect(runtime.logs).toEqual(['group: Fast', 'fast 1', 'group: Slow', 'slow 1', 'slow 2'])
})
