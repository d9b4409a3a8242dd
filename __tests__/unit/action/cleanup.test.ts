import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  CLEANUP_STATE_NAME,
  CleanupRecorder,
  decodeCleanupState,
  removeCreatedPaths,
  runPostStep,
} from '../../../src/action/cleanup.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cleanup-test-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

test('removing a Docker config directory removes its links, never what they point to', async () => {
  const userDocker = path.join(dir, 'home', '.docker', 'buildx')
  await fs.mkdir(userDocker, { recursive: true })
  await fs.writeFile(path.join(userDocker, 'current'), 'builder')
  const ours = path.join(dir, 'docker-config-x')
  await fs.mkdir(ours)
  await fs.writeFile(path.join(ours, 'config.json'), '{}')
  await fs.symlink(userDocker, path.join(ours, 'buildx'), 'junction')
  const runtime = new FakeRuntime()
  await removeCreatedPaths([ours], runtime)
  await expect(fs.stat(ours)).rejects.toThrow(/ENOENT/)
  expect(await fs.readFile(path.join(userDocker, 'current'), 'utf8')).toBe('builder')
  expect(runtime.logs).toEqual([`Removed ${ours}`])
})

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

test('the post step removes what the state names and never fails, even on a state it cannot read', async () => {
  const file = path.join(dir, 'kubeconfig')
  await fs.writeFile(file, 'x')
  const runtime = new FakeRuntime()
  const state: Record<string, string> = { [CLEANUP_STATE_NAME]: JSON.stringify({ paths: [file] }) }
  const io = {
    getState: (name: string) => state[name] ?? '',
    info: (message: string) => {
      runtime.info(message)
    },
    warning: (message: string) => {
      runtime.warning(message)
    },
  }
  await runPostStep(io)
  await expect(fs.stat(file)).rejects.toThrow(/ENOENT/)
  expect(runtime.logs).toEqual([`Removed ${file}`])
  state[CLEANUP_STATE_NAME] = 'not json'
  await runPostStep(io)
  expect(runtime.logs).toEqual([`Removed ${file}`])
})
