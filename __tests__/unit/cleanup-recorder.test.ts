import { CleanupRecorder } from '../../src/cleanup-recorder.js'
import { CLEANUP_STATE_NAME, decodeCleanupState } from '../../src/state.js'
import { FakeRuntime } from '../fixtures/fake-runtime.js'

test('saves the whole list each time a phase adds paths, so the last save holds them all', () => {
  const runtime = new FakeRuntime()
  const recorder = new CleanupRecorder(runtime)
  recorder.add([])
  expect(runtime.state).toEqual({})
  recorder.add(['/tmp/a'])
  expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME])).toEqual({ paths: ['/tmp/a'] })
  recorder.add(['/tmp/b', '/tmp/c'])
  expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME])).toEqual({
    paths: ['/tmp/a', '/tmp/b', '/tmp/c'],
  })
})
