import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { removeCreatedPaths } from '../../src/cleanup.js'
import { FakeRuntime } from '../fixtures/fake-runtime.js'

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
