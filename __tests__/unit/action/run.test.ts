import { runAction, type ActionDeps } from '../../../src/action/run.js'
import type { AwsClientFactory } from '../../../src/lib/aws-clients.js'
import { formatFailure } from '../../../src/lib/errors.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'

/** Clients that record that they were asked for: the orchestrator must not ask before the plan holds. */
function recordingClients(asked: string[]): AwsClientFactory {
  const refuse = (name: string) => () => {
    asked.push(name)
    return Promise.reject(new Error(`${name} client asked for`))
  }
  return { sts: refuse('sts'), ecr: refuse('ecr'), eks: refuse('eks'), cloudwatch: refuse('cloudwatch') }
}

function deps(
  values: Record<string, string>,
  env: Record<string, string>,
  asked: string[],
): ActionDeps & { runtime: FakeRuntime } {
  return {
    runtime: new FakeRuntime(),
    readInput: mapReader({ 'aws-region': 'eu-west-1', ...values }),
    context: readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: '/tmp' }),
    clients: recordingClients(asked),
    httpGet: () => Promise.reject(new Error('no HTTP here')),
    tokenPlugin: { nodePath: '/usr/bin/node', scriptPath: '/action/dist/token/index.js' },
    readFile: (path) => Promise.reject(Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })),
  }
}

test('bad inputs fail before any AWS client is made', async () => {
  const asked: string[] = []
  await expect(
    runAction(deps({ 'role-to-assume': 'not-an-arn', 'cluster-name': 'prod' }, {}, asked)),
  ).rejects.toThrow(/Input 'role-to-assume'/)
  expect(asked).toEqual([])
})

test('an unreadable event payload, when the image tag depends on it, fails naming the path, before AWS', async () => {
  const asked: string[] = []
  const env = { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_EVENT_PATH: '/missing/event.json' }
  await expect(runAction(deps({ 'ecr-repository': 'shop/api' }, env, asked))).rejects.toThrow(
    'Could not read the event payload GITHUB_EVENT_PATH=/missing/event.json.',
  )
  expect(asked).toEqual([])
})

test('the image tag is logged with where it came from before the phases run', async () => {
  const asked: string[] = []
  const run = deps({ 'ecr-repository': 'shop/api' }, { GITHUB_SHA: 'a'.repeat(40) }, asked)
  await expect(runAction(run)).rejects.toThrow('ecr client asked for')
  expect(run.runtime.logs[0]).toBe(`Image tag aaaaaaa: commit ${'a'.repeat(40)} (GITHUB_SHA).`)
  expect(asked).toEqual(['ecr'])
})

describe('every run has a summary', () => {
  test('a run that fails on its inputs: the phase, the same message as the log, and the timeline', async () => {
    const run = deps({ 'role-to-assume': 'not-an-arn', 'cluster-name': 'prod' }, {}, [])
    const error = await runAction(run).catch((caught: unknown) => caught)
    expect(run.runtime.summary).toContain(
      `#### The step failed in phase inputs\n\n\`\`\`text\n${formatFailure(error)}\n\`\`\``,
    )
    expect(run.runtime.summary).toMatch(/section inputs\n {2}inputs 0\.00 s :crit, \d+, \d+/)
    expect(run.runtime.outputs).toEqual({})
  })

  test('a run that fails in its plan: the inputs passed, the plan failed', async () => {
    const run = deps({ phases: 'deploy' }, {}, [])
    await expect(runAction(run)).rejects.toThrow("Input 'phases' asks for deploy")
    expect(run.runtime.summary).toContain('#### The step failed in phase plan')
    expect(run.runtime.summary).toContain('| inputs | +0.00 s | 0.00 s | ok |')
    expect(run.runtime.summary).toContain('| plan | +0.00 s | 0.00 s | failed |')
  })

  test('a phase that fails: its name, and what ran before it', async () => {
    const run = deps({ 'ecr-repository': 'shop/api', 'image-tag': 'v1' }, {}, [])
    await expect(runAction(run)).rejects.toThrow('ecr client asked for')
    expect(run.runtime.summary).toContain('#### The step failed in phase ecr-login')
    expect(run.runtime.summary).toContain('| ecr-login | +0.00 s | 0.00 s | failed |')
  })
})

test('github-token and every set-string value long enough to be a secret are masked before anything prints', async () => {
  const run = deps(
    {
      'github-token': 'ghs_0123456789',
      'set-string': 'apiKey=first-secret-value-01\nreplicas=1',
      'cluster-name': 'x y',
    },
    {},
    [],
  )
  await expect(runAction(run)).rejects.toThrow("Input 'cluster-name'")
  // github-token before any validation (an invalid one would be quoted otherwise); set-string after.
  expect(run.runtime.secrets).toEqual(['ghs_0123456789'])
  const ok = deps(
    {
      'github-token': 'ghs_0123456789',
      'set-string': 'apiKey=first-secret-value-01\nreplicas=1',
      'ecr-repository': 'a/b',
      'image-tag': 'v1',
    },
    {},
    [],
  )
  await expect(runAction(ok)).rejects.toThrow('ecr client asked for')
  expect(ok.runtime.secrets).toEqual(['ghs_0123456789', 'ghs_0123456789', 'first-secret-value-01'])
})

test('an invalid github-token is masked before validation and never quoted', async () => {
  const token = 'ghs_abc\u0007def0123456789'
  const run = deps({ 'github-token': token, 'comment-on-pr': 'true' }, {}, [])
  const error = await runAction(run).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(String(error)).toContain("Input 'github-token'")
  expect(String(error)).not.toContain('ghs_abc')
  expect(run.runtime.secrets[0]).toBe(token)
  expect(run.runtime.summary).not.toContain('ghs_abc')
})
