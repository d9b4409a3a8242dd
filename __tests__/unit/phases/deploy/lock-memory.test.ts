import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CLEANUP_STATE_NAME, CleanupRecorder, decodeCleanupState } from '../../../../src/action/cleanup.js'
import { leaseMemory } from '../../../../src/phases/deploy/lock-memory.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

let dir: string
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-memory-'))
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

test('a held lock is saved for the post step with its kubeconfig and signing variables (0600), until dropped', async () => {
  const runtime = new FakeRuntime()
  const recorder = new CleanupRecorder(runtime)
  const signingEnv = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_REGION: 'eu-west-1' }
  const memory = leaseMemory({ cleanup: recorder }, { kubeconfigPath: '/k/config', helmDir: dir, signingEnv })
  const lease = { namespace: 'shop', name: 'eks-deploy-action.api', holder: 'run 42 abc' }
  await memory.hold(lease)
  const saved = () => decodeCleanupState(runtime.state[CLEANUP_STATE_NAME]).leases
  const file = path.join(dir, 'lock-signing-env.json')
  expect(saved()).toEqual([{ ...lease, kubeconfigPath: '/k/config', execEnvFile: file }])
  expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual(signingEnv)
  expect((await fs.stat(file)).mode & 0o777).toBe(0o600)
  await memory.drop(lease)
  expect(saved()).toEqual([])
})
