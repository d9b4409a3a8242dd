import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ExecResult } from '../../../../src/runner/runtime.js'
import { startDeploy } from '../../../../src/phases/deploy/index.js'
import { startHelmSetup } from '../../../../src/phases/deploy/head-start.js'
import type { DeployParams } from '../../../../src/phases/deploy/types.js'
import { FakeRuntime, type FakeExec } from '../../../fixtures/fake-runtime.js'
import { phaseDeps } from '../../../fixtures/phase-deps.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

/**
 * What the deploy starts with the step, from the main bundle (head-start.ts): `helm version` at once
 * (its directory made without a round trip to the file system), then a local chart's `helm template`,
 * whose text the deploy parses only when it asks (deploy-start.ts `rendered`).
 */
const RENDER = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: api',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  '',
].join('\n')

let runnerTemp: string
beforeEach(async () => {
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'head-start-'))
})
afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true })
})

const params = ({ chart, ...spec } = releaseSpec({ isPreflight: true })): DeployParams => ({
  spec,
  source: { kind: 'chart', chart },
  helm: { helmVersion: { kind: 'system' }, helmMirror: 'https://get.helm.sh', os: 'linux', arch: 'x64' },
  region: 'eu-west-1',
  jobEnv: { PATH: '/usr/bin', INPUT_RELEASE: 'api' },
  runnerTemp,
})

/** helm whose `version` answers only when `answerVersion` is called. */
function heldVersionHelm(
  runtime: FakeRuntime,
  template: ExecResult = { exitCode: 0, stdout: RENDER, stderr: '' },
) {
  let answerVersion: () => void = () => undefined
  const version = new Promise<void>((resolve) => (answerVersion = resolve))
  runtime.onExec = async ({ args }: FakeExec): Promise<ExecResult> => {
    if (args[0] === 'version') {
      await version
      return { exitCode: 0, stdout: 'v3.17.3', stderr: '' }
    }
    if (args[0] === 'template') return template
    return { exitCode: 1, stdout: '', stderr: `unexpected helm ${args.join(' ')}` }
  }
  return {
    answerVersion: () => {
      answerVersion()
    },
  }
}

const helmCommands = (runtime: FakeRuntime) => runtime.execs.map((exec) => exec.args[0])

test("helm's directory exists when the call returns, and `helm version` runs before any I/O of the step can", async () => {
  const runtime = new FakeRuntime()
  const helm = heldVersionHelm(runtime)
  const started = startHelmSetup(params(), phaseDeps(runtime), undefined)
  // Made without a round trip to the file system: there, 0700, the moment the call returns.
  const [dir] = readdirSync(runnerTemp)
  expect(dir).toMatch(/^eks-helm-/)
  expect(statSync(path.join(runnerTemp, dir ?? '')).mode & 0o777).toBe(0o700)
  // Only promise callbacks between the call and helm's start: no turn of the event loop (where the
  // step's modules load) comes first.
  await new Promise((resolve) => setImmediate(resolve))
  expect(helmCommands(runtime)).toEqual(['version'])
  helm.answerVersion()
  expect((await started.helm).version.text).toBe('v3.17.3')
  expect(await started.helmDir).toBe(path.join(runnerTemp, dir ?? ''))
})

test("a local chart's `helm template` starts once helm's version is known, in helm's own directory; its text is kept", async () => {
  const runtime = new FakeRuntime()
  const helm = heldVersionHelm(runtime)
  const started = startHelmSetup(params(), phaseDeps(runtime), undefined)
  await new Promise((resolve) => setImmediate(resolve))
  expect(helmCommands(runtime)).toEqual(['version'])
  helm.answerVersion()
  expect(await started.renderText).toBe(RENDER)
  expect(helmCommands(runtime)).toEqual(['version', 'template'])
  const template = runtime.execs[1]
  expect(template?.args.slice(0, 3)).toEqual(['template', 'api', './charts/api'])
  expect(template?.request.env?.HELM_REGISTRY_CONFIG).toBe(
    path.join(await started.helmDir, 'registry', 'config.json'),
  )
  expect(template?.request.env?.INPUT_RELEASE).toBeUndefined()
})

test('no render ahead for a chart from a repository, nor when nothing reads it', () => {
  const runtime = new FakeRuntime()
  heldVersionHelm(runtime).answerVersion()
  const repo = releaseSpec({
    isPreflight: true,
    chart: { kind: 'oci', ref: 'oci://registry.invalid/charts/api' },
  })
  expect(startHelmSetup(params(repo), phaseDeps(runtime), undefined).renderText).toBeUndefined()
  const unread = releaseSpec({ isPreflight: false, shouldWait: false, isAtomic: false })
  expect(startHelmSetup(params(unread), phaseDeps(runtime), undefined).renderText).toBeUndefined()
})

test('a render that fails gives no text, and says why in the debug log', async () => {
  const runtime = new FakeRuntime()
  const failing = { exitCode: 1, stdout: '', stderr: 'Error: parse error in deployment.yaml\n' }
  heldVersionHelm(runtime, failing).answerVersion()
  const started = startHelmSetup(params(), phaseDeps(runtime), undefined)
  expect(await started.renderText).toBeUndefined()
  await started.printLog()
  expect(runtime.logs.join('\n')).toMatch(/debug: helm template failed ahead of the deploy \(.*parse error/)
})

test('the deploy reads the objects from the text when it first asks, once', async () => {
  const runtime = new FakeRuntime()
  heldVersionHelm(runtime).answerVersion()
  const deps = phaseDeps(runtime)
  const helmStart = startHelmSetup(params(), deps, undefined)
  await helmStart.renderText
  const started = startDeploy(params(), helmStart)
  const first = started.rendered?.()
  expect(started.rendered?.()).toBe(first)
  expect((await first)?.map(({ kind, name }) => `${kind}/${name}`)).toEqual(['Service/api', 'Deployment/api'])
  // One helm of each: the deploy's own start added none.
  expect(helmCommands(runtime)).toEqual(['version', 'template'])
  expect(await readdir(runnerTemp)).toHaveLength(1)
})
