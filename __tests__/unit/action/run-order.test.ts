import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runAction } from '../../../src/action/run.js'
import type { AwsClientFactory } from '../../../src/lib/aws-clients.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'

/**
 * The order of a deploy's first work (action/run.ts, phases/deploy/head-start.ts): the job's ID token
 * request first, then `helm version`, both before the SDK is loaded and any client is made; the STS
 * client is the first client.
 */
const CHART = path.resolve('__tests__/fixtures/charts/demo')

let runnerTemp: string
beforeEach(async () => {
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'run-order-'))
})
afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true })
})

test('a deploy asks for its ID token, then for helm’s version, before any AWS client is made', async () => {
  const events: string[] = []
  const runtime = new FakeRuntime()
  runtime.onExec = ({ args }) => {
    events.push(`helm ${args[0] ?? ''}`)
    return args[0] === 'version'
      ? { exitCode: 0, stdout: 'v3.17.3', stderr: '' }
      : { exitCode: 1, stdout: '', stderr: 'not in this test' }
  }
  const refuse = (name: string) => () => {
    events.push(`${name} client`)
    return Promise.reject(new Error(`no ${name} here`))
  }
  const clients: AwsClientFactory = {
    sts: refuse('sts'),
    ecr: refuse('ecr'),
    eks: refuse('eks'),
    cloudwatch: refuse('cloudwatch'),
  }
  const env = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer',
    RUNNER_TEMP: runnerTemp,
    PATH: '/usr/bin',
  }
  const run = runAction({
    runtime,
    readInput: mapReader({
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      'aws-region': 'eu-west-1',
      'cluster-name': 'prod',
      release: 'api',
      chart: CHART,
      namespace: 'shop',
      'helm-version': 'system',
    }),
    context: readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: runnerTemp }),
    clients,
    httpGet: () => {
      events.push('id token')
      return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve('{"value":"a.b.c"}') })
    },
    tokenPlugin: { nodePath: '/usr/bin/node', scriptPath: '/action/dist/token/index.js' },
    readFile: (file) => Promise.reject(Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' })),
  })
  await expect(run).rejects.toThrow(/no sts here/)
  expect(events.slice(0, 2)).toEqual(['id token', 'helm version'])
  expect(events.indexOf('sts client')).toBeGreaterThan(1)
})
