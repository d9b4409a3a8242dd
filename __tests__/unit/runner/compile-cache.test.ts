import path from 'node:path'
import { COMPILE_CACHE_DIR, enableCompileCache } from '../../../src/runner/compile-cache.js'

function recordingModule(): { calls: unknown[][]; enableCompileCache: (...args: unknown[]) => unknown } {
  const calls: unknown[][] = []
  return {
    calls,
    enableCompileCache: (...args: unknown[]) => {
      calls.push(args)
      return { status: 1, directory: args[0] }
    },
  }
}

test('on the runner, the cache goes under RUNNER_TEMP, which lives only for the job', () => {
  const node = recordingModule()
  enableCompileCache({ RUNNER_TEMP: '/home/runner/work/_temp' }, node)
  expect(node.calls).toEqual([[path.join('/home/runner/work/_temp', COMPILE_CACHE_DIR)]])
})

test.each([[{}], [{ RUNNER_TEMP: ' ' }]])('without RUNNER_TEMP (%j), Node picks the directory', (env) => {
  const node = recordingModule()
  enableCompileCache(env, node)
  expect(node.calls).toEqual([[]])
})

test('Node 20, which has no enableCompileCache: nothing happens', () => {
  expect(() => {
    enableCompileCache({ RUNNER_TEMP: '/tmp' }, {})
  }).not.toThrow()
})

test('a Node whose enableCompileCache throws does not stop the action', () => {
  let called = false
  const node = {
    enableCompileCache: () => {
      called = true
      throw new Error('EACCES')
    },
  }
  expect(() => {
    enableCompileCache({ RUNNER_TEMP: '/tmp' }, node)
  }).not.toThrow()
  expect(called).toBe(true)
})
