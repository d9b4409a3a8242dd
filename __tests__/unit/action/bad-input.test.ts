import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { DescribeClusterCommandOutput, EKSClient } from '@aws-sdk/client-eks'
import { runAction } from '../../../src/action/run.js'
import { escapeSetValue } from '../../../src/helm/args.js'
import type { AwsClientFactory } from '../../../src/lib/aws-clients.js'
import { formatFailure } from '../../../src/lib/errors.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import type { ExecResult } from '../../../src/runner/runtime.js'
import { loadActionYaml } from '../../fixtures/action-runner.js'
import { answeringAws, answeringIdTokens, type AwsCall } from '../../fixtures/answering-aws.js'
import { FakeRuntime, type FakeExec } from '../../fixtures/fake-runtime.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'

/**
 * Every input of action.yml, given each kind of hostile value, in a run where every phase would
 * otherwise succeed (AWS and helm answer well, in-process). Each value is either refused before
 * anything leaves the process, by a message naming the input, or passed on literally (in one helm
 * argv element when it reaches helm); none adds a line to the runner's files or a workflow command
 * to the log. The marker `pwned` follows the value wherever it goes.
 */
const VALUE_CLASSES: Readonly<Record<string, string>> = {
  empty: '',
  whitespace: '  \t  ',
  'very long': `pwned${'a'.repeat(5_000)}`,
  newline: 'x\n::warning::pwned',
  'carriage return': 'x\r::warning::pwned',
  'workflow command': '::set-output name=image::pwned',
  'shell metacharacters': '$(touch /tmp/pwned); echo ${HOME} | cat `id` > x && y',
  'leading dash': '--post-renderer=/tmp/pwned',
  'path traversal': '../../../../tmp/pwned/../../etc/passwd',
  unicode: 'pwned-résumé-\u202e-名前-🚀',
}

/** A run where every phase has its inputs and would succeed. */
const BASE: Readonly<Record<string, string>> = {
  'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
  'aws-region': 'eu-west-1',
  'ecr-repository': 'shop/api',
  'cluster-name': 'prod',
  release: 'api',
  chart: './charts/api',
  'helm-version': 'system',
}
/** Lists of key=value lines: the hostile part is the value. */
const KEY_VALUE_INPUTS = new Set(['set', 'set-string'])
/** Lists, one item a line: each line of a value is an item of its own. */
const LINE_LISTS = new Set(['values-files', 'helm-args', 'set', 'set-string'])

const DEFAULTS = Object.fromEntries(
  Object.entries(loadActionYaml().inputs).map(([name, spec]) => [name, spec.default ?? '']),
)

const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' })

/** helm as the phases use it: a version, no release yet, an upgrade that works. */
function answeringHelm({ args }: FakeExec): ExecResult {
  if (args[0] === 'version') return ok('v4.1.4')
  if (args[0] === 'upgrade') return ok('Release "api" has been upgraded.\n')
  return { exitCode: 1, stdout: '', stderr: 'Error: release: not found\n' }
}

/**
 * The kubeconfig's exec plugin, as a shell script that prints a token at once: the real one (a Node
 * process loading dist/token, twice a run) made this file take minutes, for runs whose cluster is
 * never reached. The token plugin has tests of its own (eks-token/, integration/eks-token-cli).
 */
const STUB_TOKEN_PLUGIN = `printf '%s' '${JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  kind: 'ExecCredential',
  status: { token: 'k8s-aws-v1.stub', expirationTimestamp: '2999-01-01T00:00:00Z' },
})}'\n`

let temp: string
let tokenPlugin: string
beforeAll(async () => {
  temp = await fs.mkdtemp(path.join(os.tmpdir(), 'bad-input-'))
  // The checkout, with BASE's chart: the plan refuses a local chart that is not there.
  await fs.mkdir(path.join(temp, 'charts', 'api'), { recursive: true })
  tokenPlugin = path.join(temp, 'token-plugin.sh')
  await fs.writeFile(tokenPlugin, STUB_TOKEN_PLUGIN)
})
afterAll(async () => {
  await fs.rm(temp, { recursive: true, force: true })
})

async function runWith(input: string, value: string) {
  const runtime = new FakeRuntime()
  runtime.onExec = answeringHelm
  // helm-version's default (an empty value) is a release: the tool cache has it.
  runtime.toolCache = { ...runtime.toolCache, find: () => Promise.resolve('/tool-cache/helm') }
  const calls: AwsCall[] = []
  const urls: string[] = []
  const values = { ...DEFAULTS, ...BASE, [input]: KEY_VALUE_INPUTS.has(input) ? `probe=${value}` : value }
  const env = {
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: temp,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/token?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-bearer',
  }
  const error = await runAction({
    runtime,
    readInput: mapReader(values),
    context: readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: temp }),
    clients: withClusterOnLoopback(answeringAws(calls)),
    httpGet: answeringIdTokens(urls),
    tokenPlugin: { nodePath: '/bin/sh', scriptPath: tokenPlugin },
    readFile: () => Promise.reject(new Error('no event payload here')),
  }).then(
    () => undefined,
    (e: unknown) => e,
  )
  return { runtime, calls, urls, error }
}

/**
 * The cluster of DescribeCluster's answer on a loopback port where nothing listens: its requests are
 * refused at once, where the answer's EKS host name cost a DNS query (the network, from a unit test).
 */
function withClusterOnLoopback(clients: AwsClientFactory): AwsClientFactory {
  const eks: AwsClientFactory['eks'] = async (options) => {
    const client = await clients.eks(options)
    const send = client.send.bind(client) as (command: unknown) => Promise<DescribeClusterCommandOutput>
    return Object.assign(Object.create(client) as EKSClient, {
      send: async (command: unknown) => {
        const answer = await send(command)
        return answer.cluster === undefined
          ? answer
          : { ...answer, cluster: { ...answer.cluster, endpoint: 'https://127.0.0.1:1' } }
      },
    })
  }
  return { ...clients, eks }
}

const CASES = Object.keys(DEFAULTS).flatMap((input) =>
  Object.entries(VALUE_CLASSES).map(([kind, value]) => [input, kind, value] as const),
)

test('the table covers every input of action.yml', () => {
  expect(new Set(CASES.map(([input]) => input))).toEqual(new Set(Object.keys(loadActionYaml().inputs)))
})

/** Inputs whose items are separated by newlines: a newline there only starts another item. */
const NEWLINE_LISTS = new Set([
  ...LINE_LISTS,
  'registries',
  'managed-session-policies',
  'allowed-account-ids',
  'phases',
  'verify-alarms',
])

test.each(CASES)('%s, %s', async (input, kind, value) => {
  const { runtime, calls, urls, error } = await runWith(input, value)
  const failure = error === undefined ? '' : formatFailure(error)
  const isRefused = failure.includes(`'${input}'`)
  // A line break inside a value is never passed on (a lone carriage return splits lines for the runner).
  if (kind === 'carriage return' || (kind === 'newline' && !NEWLINE_LISTS.has(input))) {
    expect(isRefused).toBe(true)
  }
  if (isRefused) {
    // Refused before anything left the process.
    expect([calls, urls, runtime.execs]).toEqual([[], [], []])
  } else {
    expect(failure).toBe('')
    const item = LINE_LISTS.has(input) ? value.split('\n').find((line) => line.includes('pwned')) : value
    if (item !== undefined && item.includes('pwned')) expectPassedLiterally(runtime, item.trim())
  }
  expectNoCommandLine(runtime)
  expectNothingInRunnerFiles(runtime)
})

/**
 * Where the value reached helm, it is in exactly one argv element: the value itself, a value key's
 * `<value>=...`, or `probe=<value>` (helm-escaped for --set).
 */
function expectPassedLiterally(runtime: FakeRuntime, value: string): void {
  const upgrade = runtime.execs.find((exec) => exec.args[0] === 'upgrade')
  const carrying = (upgrade?.args ?? []).filter((arg) => arg.includes('pwned'))
  if (carrying.length === 0) return
  expect(carrying).toHaveLength(1)
  const element = carrying[0] ?? ''
  const isLiteral =
    element === value || element.startsWith(`${value}=`) || element === `probe=${escapeSetValue(value)}`
  expect([element, isLiteral]).toEqual([element, true])
}

/** Nothing the action printed itself starts a line (as the runner splits them) with a workflow command. */
function expectNoCommandLine(runtime: FakeRuntime): void {
  const printed = runtime.logs.filter((line) => !line.startsWith('relay: '))
  for (const message of printed) {
    for (const line of message.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^\s*(::|##\[)/)
  }
}

/** No value of an output, exported variable or saved state carries the marker or a line break. */
function expectNothingInRunnerFiles(runtime: FakeRuntime): void {
  for (const value of [
    ...Object.values(runtime.outputs),
    ...Object.values(runtime.exported),
    ...Object.values(runtime.state),
  ]) {
    expect(value).not.toContain('pwned')
    expect(value).not.toMatch(/[\r\n]/)
  }
  expect(runtime.summary).not.toMatch(/^\s*::/m)
}
