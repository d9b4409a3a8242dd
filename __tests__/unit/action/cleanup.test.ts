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
  await removeCreatedPaths([ours], dir, runtime)
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
  expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME])).toEqual({ paths: ['/tmp/a'], leases: [] })
  recorder.add(['/tmp/b', '/tmp/c'])
  expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME])).toEqual({
    paths: ['/tmp/a', '/tmp/b', '/tmp/c'],
    leases: [],
  })
})

test('the post step removes what the state names and never fails, even on a state it cannot read', async () => {
  const file = path.join(dir, 'eks-kubeconfig-x')
  await fs.mkdir(file)
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
  await runPostStep(io, { RUNNER_TEMP: dir })
  await expect(fs.stat(file)).rejects.toThrow(/ENOENT/)
  expect(runtime.logs).toEqual([`Removed ${file}`])
  state[CLEANUP_STATE_NAME] = 'not json'
  await runPostStep(io, { RUNNER_TEMP: dir })
  expect(runtime.logs).toEqual([`Removed ${file}`])
})

describe('the post step removes only what the action made under RUNNER_TEMP', () => {
  let temp: string
  let outside: string
  beforeEach(async () => {
    temp = path.join(dir, 'runner-temp')
    outside = path.join(dir, 'outside')
    await fs.mkdir(temp)
    await fs.mkdir(path.join(outside, 'docker-config-x'), { recursive: true })
  })

  test.each([
    ['a directory outside RUNNER_TEMP', () => path.join(outside, 'docker-config-x')],
    ['RUNNER_TEMP itself', () => temp],
    ['a directory of another name in RUNNER_TEMP', () => path.join(temp, 'other')],
    ['a path that climbs out of RUNNER_TEMP', () => path.join(temp, '..', 'outside', 'docker-config-x')],
    ['a relative path', () => 'docker-config-x'],
    ['the home directory', () => os.homedir()],
  ])('%s: kept, with a warning', async (_name, target) => {
    await fs.mkdir(path.join(temp, 'other'), { recursive: true })
    const runtime = new FakeRuntime()
    await removeCreatedPaths([target()], temp, runtime)
    expect(runtime.logs).toEqual([
      `warning: Not removing ${target()}: the action removes only the directories it made in RUNNER_TEMP (${temp}).`,
    ])
    await expect(fs.stat(path.join(outside, 'docker-config-x'))).resolves.toBeDefined()
  })

  test('a symlink of our name pointing elsewhere: kept, and so is its target', async () => {
    const link = path.join(temp, 'docker-config-link')
    await fs.symlink(path.join(outside, 'docker-config-x'), link)
    const runtime = new FakeRuntime()
    await removeCreatedPaths([link], temp, runtime)
    expect(runtime.logs).toEqual([
      `warning: Not removing ${link}: it is not a directory (the action made a directory there).`,
    ])
    await expect(fs.stat(path.join(outside, 'docker-config-x'))).resolves.toBeDefined()
  })

  test('a directory already gone is not claimed as removed', async () => {
    const runtime = new FakeRuntime()
    const gone = path.join(temp, 'eks-kubeconfig-gone')
    await removeCreatedPaths([gone], temp, runtime)
    expect(runtime.logs).toEqual([`${gone} was already gone.`])
  })

  test('through a symlinked RUNNER_TEMP (macOS: /tmp is /private/tmp)', async () => {
    const alias = path.join(dir, 'alias')
    await fs.symlink(temp, alias)
    const ours = path.join(alias, 'docker-config-y')
    await fs.mkdir(ours)
    const runtime = new FakeRuntime()
    await removeCreatedPaths([ours], alias, runtime)
    expect(runtime.logs).toEqual([`Removed ${ours}`])
  })
})

describe('a release lock left held (a cancelled job)', () => {
  const lease = {
    namespace: 'shop',
    name: 'eks-deploy-action.api',
    holder: 'octo-org/octo-repo run 42 attempt 1 job deploy 1a2b3c4d',
    kubeconfigPath: '/runner/temp/eks-kubeconfig-x/config',
    execEnvFile: '/runner/temp/eks-helm-x/lock-signing-env.json',
  }

  test('is in the state while held, and out of it once the main step gave it up', () => {
    const runtime = new FakeRuntime()
    const recorder = new CleanupRecorder(runtime)
    recorder.add(['/tmp/a'])
    recorder.holdLease(lease)
    expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME])).toEqual({
      paths: ['/tmp/a'],
      leases: [lease],
    })
    recorder.dropLease({ ...lease, holder: 'another run' })
    expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME]).leases).toEqual([lease])
    recorder.dropLease(lease)
    expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME])).toEqual({ paths: ['/tmp/a'], leases: [] })
  })

  test('the post step releases it before it removes the kubeconfig it reaches the cluster with', async () => {
    const kubeconfigDir = path.join(dir, 'eks-kubeconfig-y')
    await fs.mkdir(kubeconfigDir)
    const state: Record<string, string> = {
      [CLEANUP_STATE_NAME]: JSON.stringify({ paths: [kubeconfigDir], leases: [lease] }),
    }
    const runtime = new FakeRuntime()
    const seen: string[] = []
    const io = {
      getState: (name: string) => state[name] ?? '',
      info: (message: string) => {
        runtime.info(message)
      },
      warning: (message: string) => {
        runtime.warning(message)
      },
    }
    await runPostStep(io, { RUNNER_TEMP: dir }, async (leases) => {
      const kept = await fs.stat(kubeconfigDir).then(() => 'kubeconfig there')
      seen.push(...leases.map((held) => `${held.namespace}/${held.name} ${kept}`))
    })
    expect(seen).toEqual(['shop/eks-deploy-action.api kubeconfig there'])
    await expect(fs.stat(kubeconfigDir)).rejects.toThrow(/ENOENT/)
  })

  test('no lease left: the Kubernetes client is never asked for', async () => {
    const io = {
      getState: () => JSON.stringify({ paths: [] }),
      info: () => undefined,
      warning: () => undefined,
    }
    let isAsked = false
    await runPostStep(io, { RUNNER_TEMP: dir }, () => {
      isAsked = true
      return Promise.resolve()
    })
    expect(isAsked).toBe(false)
  })
})
