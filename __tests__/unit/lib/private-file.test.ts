import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makePrivateDir } from '../../../src/lib/private-file.js'

let parent: string
beforeEach(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'private-file-'))
})
afterEach(async () => {
  await rm(parent, { recursive: true, force: true })
})

test('makePrivateDir: the directory exists, 0700, when the call returns (RUNNER_TEMP made if missing)', async () => {
  const runnerTemp = path.join(parent, 'runner', 'temp')
  const made = makePrivateDir(runnerTemp, 'eks-helm-')
  const [dir] = readdirSync(runnerTemp)
  expect(dir).toMatch(/^eks-helm-.+/)
  expect(statSync(path.join(runnerTemp, dir ?? '')).mode & 0o777).toBe(0o700)
  await expect(made).resolves.toBe(path.join(runnerTemp, dir ?? ''))
})

test('makePrivateDir: a failure is the promise’s, not a throw', async () => {
  const file = path.join(parent, 'not-a-dir')
  await writeFile(file, '')
  const made = makePrivateDir(file, 'eks-helm-')
  await expect(made).rejects.toThrow(/EEXIST|ENOTDIR/)
})
