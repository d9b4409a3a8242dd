import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import type { AwsClientFactory, AwsClientOptions, AwsCredentials } from '../../../../src/lib/aws-clients.js'
import { run } from '../../../../src/phases/ecr/index.js'
import { parseInputs } from '../../../../src/inputs/parse.js'
import type { Inputs } from '../../../../src/inputs/types.js'
import { planPhases } from '../../../../src/action/plan.js'
import { imageReference } from '../../../../src/lib/image-ref.js'
import { phaseDeps } from '../../../fixtures/phase-deps.js'
import { collectExportedEnv, collectOutputs } from '../../../../src/action/outputs.js'
import { PhaseTimer } from '../../../../src/action/timing.js'
import { readRunnerContext } from '../../../../src/runner/context.js'
import { CLEANUP_STATE_NAME, decodeCleanupState } from '../../../../src/action/cleanup.js'
import { renderSummary } from '../../../../src/action/summary.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'
// Loaded up front: jest's ESM loader fails two concurrent dynamic imports of modules that share
// a dependency ("request for ... is not in cache"); node and the bundle do not.
import '../../../../src/phases/ecr/login.js'
import '../../../../src/phases/ecr/image-check.js'
import '../../../../src/phases/ecr/scan-findings.js'
import { ANY_PATH_EXISTS } from '../../../fixtures/plan-files.js'

const NO_HIDING = { hide: (text: string): string => text }

const ecrMock = mockClient(ECRClient)
const SHA = '0123456789abcdef0123456789abcdef01234567'
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const TOKEN = Buffer.from('AWS:the-password').toString('base64')
const DIGEST = `sha256:${'b'.repeat(64)}`
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' }

let dir: string
let runtime: FakeRuntime
let clientOptions: AwsClientOptions[]

const clients: AwsClientFactory = {
  sts: () => Promise.reject(new Error('no STS here')),
  eks: () => Promise.reject(new Error('no EKS here')),
  cloudwatch: () => Promise.reject(new Error('no CloudWatch here')),
  ecr: (options) => {
    clientOptions.push(options)
    return Promise.resolve(new ECRClient({ region: options.region }))
  },
}

beforeEach(async () => {
  ecrMock.reset()
  clientOptions = []
  runtime = new FakeRuntime()
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ecr-phases-test-'))
  ecrMock.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}` }],
  })
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

function inputsOf(raw: Record<string, string>, env: Record<string, string> = {}): Inputs {
  const context = readRunnerContext(
    { RUNNER_TEMP: path.join(dir, 'temp'), HOME: path.join(dir, 'home'), GITHUB_SHA: SHA, ...env },
    { os: 'linux', arch: 'x64', tmpdir: dir },
  )
  return parseInputs((name) => ({ 'aws-region': 'eu-west-1', ...raw })[name] ?? '', context)
}

async function runPhases(
  inputs: Inputs,
  { credentials }: { credentials: AwsCredentials | undefined } = { credentials: CREDENTIALS },
) {
  const plan = await planPhases(inputs, {
    readEventPayload: () => Promise.reject(new Error('no payload')),
    files: ANY_PATH_EXISTS,
  })
  const timer = new PhaseTimer(runtime)
  const ecr = plan.ecr && (await run(plan.ecr, phaseDeps(runtime, { clients, timer }), { credentials }))
  return { plan, ecr, timer }
}

test('login only (before a build): registry, image to push, tag, config dir; cleanup recorded', async () => {
  const inputs = inputsOf({ 'ecr-repository': 'shop/api' })
  const { plan, ecr, timer } = await runPhases(inputs)
  expect(plan.ecr?.image?.shouldCheck).toBe(false)
  expect(ecrMock.commandCalls(DescribeImagesCommand)).toHaveLength(0)
  expect(clientOptions).toEqual([{ region: 'eu-west-1', credentials: CREDENTIALS }])
  expect(ecr?.image).toEqual({ registry: HOST, name: 'shop/api', tag: '0123456', digest: undefined })
  const results = {
    inputs,
    auth: undefined,
    ecr,
    kubeconfig: undefined,
    deploy: undefined,
    teardown: undefined,
    github: undefined,
  }
  expect(collectOutputs(results)).toEqual({
    registry: HOST,
    image: `${HOST}/shop/api:0123456`,
    'image-tag': '0123456',
    'docker-config': ecr?.dockerConfigDir,
  })
  expect(collectExportedEnv(results)).toEqual({ DOCKER_CONFIG: ecr?.dockerConfigDir })
  expect(decodeCleanupState(runtime.state[CLEANUP_STATE_NAME]).paths).toEqual([ecr?.dockerConfigDir])
  expect(timer.spans.map((span) => span.name)).toEqual(['ecr-login'])
  const summary = renderSummary({ results, spans: timer.spans, failure: undefined }, NO_HIDING)
  expect(summary).toContain(`| Registry login | ${HOST} |`)
  expect(summary).toContain(`| Image | \`${HOST}/shop/api:0123456\` |`)
  expect(summary).not.toContain('the-password')
})

test('login and image check side by side: the digest is resolved and the image is deployed by digest', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({
    imageDetails: [{ registryId: '123456789012', imageDigest: DIGEST, imageTags: ['v1'] }],
  })
  const inputs = inputsOf({ 'ecr-repository': 'shop/api', 'image-tag': 'v1', 'require-image': 'true' })
  const { ecr, timer } = await runPhases(inputs, { credentials: undefined })
  expect(clientOptions).toEqual([{ region: 'eu-west-1', credentials: undefined }])
  expect(ecr?.image && imageReference(ecr.image)).toBe(`${HOST}/shop/api@${DIGEST}`)
  expect(ecr?.image?.tag).toBe('v1')
  expect(timer.spans.map((span) => span.name).sort()).toEqual(['ecr-login', 'image check'])
  const groups = runtime.logs.filter((line) => line.startsWith('group: '))
  expect(groups.sort()).toEqual([
    'group: Check that shop/api:v1 is in ECR',
    "group: Log in to ECR: the account's registry in eu-west-1",
  ])
})

test('the image check fails: the login it raced is still recorded for the post step', async () => {
  ecrMock
    .on(DescribeImagesCommand)
    .rejects(Object.assign(new Error('missing'), { name: 'ImageNotFoundException' }))
  const inputs = inputsOf({ 'ecr-repository': 'shop/api', 'require-image': 'true' })
  await expect(runPhases(inputs)).rejects.toThrow(/The image shop\/api:0123456 is not in ECR/)
  const paths = decodeCleanupState(runtime.state[CLEANUP_STATE_NAME]).paths
  expect(paths).toHaveLength(1)
  expect(paths[0]).toContain(path.join(dir, 'temp', 'docker-config-'))
})

test('skip-logout: nothing recorded for deletion, the directory is still exported', async () => {
  const { ecr } = await runPhases(inputsOf({ 'ecr-repository': 'shop/api', 'skip-logout': 'true' }))
  expect(runtime.state).toEqual({})
  expect(ecr?.dockerConfigDir).toBeDefined()
})

test('check without login (phases kubeconfig,deploy): the registry from the image registry id', async () => {
  ecrMock
    .on(DescribeImagesCommand)
    .resolves({ imageDetails: [{ registryId: '210987654321', imageDigest: DIGEST }] })
  const inputs = inputsOf({
    phases: 'kubeconfig,deploy',
    'ecr-repository': 'shop/api',
    'cluster-name': 'prod',
    release: 'api',
    chart: './chart',
  })
  const { ecr } = await runPhases(inputs)
  expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(0)
  expect(ecr?.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com')
  expect(ecr?.dockerConfigDir).toBeUndefined()
  expect(ecr?.image?.digest).toBe(DIGEST)
})

test('deploy with neither login nor check: the registry from DescribeRepositories', async () => {
  ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: `${HOST}/shop/api` }] })
  const inputs = inputsOf({
    phases: 'deploy',
    'ecr-repository': 'shop/api',
    'require-image': 'false',
    release: 'api',
    chart: './chart',
  })
  const { ecr } = await runPhases(inputs)
  expect(ecr?.image && imageReference(ecr.image)).toBe(`${HOST}/shop/api:0123456`)
})

test('registries: the first one is the image registry, every one is logged in', async () => {
  const inputs = inputsOf({
    'ecr-repository': 'shop/api',
    registries: '111111111111\n222222222222.dkr.ecr.us-east-1.amazonaws.com',
  })
  const { ecr } = await runPhases(inputs)
  expect(ecr?.registry).toBe('111111111111.dkr.ecr.eu-west-1.amazonaws.com')
  expect(ecr?.loggedIn).toEqual([
    '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
    '222222222222.dkr.ecr.us-east-1.amazonaws.com',
  ])
  expect(clientOptions.map((options) => options.region).sort()).toEqual(['eu-west-1', 'us-east-1'])
})

test('registries without a repository: a login, no image', async () => {
  const { ecr } = await runPhases(inputsOf({ registries: '111111111111' }))
  expect(ecr?.image).toBeUndefined()
  expect(ecr?.registry).toBe('111111111111.dkr.ecr.eu-west-1.amazonaws.com')
})

test('nothing for ECR to do: undefined, no client made', async () => {
  const { ecr } = await runPhases(inputsOf({ 'cluster-name': 'prod' }))
  expect(ecr).toBeUndefined()
  expect(clientOptions).toEqual([])
})

test('fail-on-severity: the scan of the digest the check resolved, after it; its output and summary row', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({
    imageDetails: [{ registryId: '123456789012', imageDigest: DIGEST, imageTags: ['v1'] }],
  })
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: { findingSeverityCounts: { MEDIUM: 2 } },
  })
  const inputs = inputsOf({
    'ecr-repository': 'shop/api',
    'image-tag': 'v1',
    'require-image': 'true',
    'fail-on-severity': 'high',
  })
  const { ecr, timer } = await runPhases(inputs)
  expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0]?.args[0].input.imageId).toEqual({
    imageDigest: DIGEST,
  })
  expect(timer.spans.map((span) => span.name).sort()).toEqual(['ecr-login', 'image check', 'scan findings'])
  const results = {
    inputs,
    auth: undefined,
    ecr,
    kubeconfig: undefined,
    deploy: undefined,
    teardown: undefined,
    github: undefined,
  }
  expect(JSON.parse(collectOutputs(results)['image-scan-findings'] ?? '')).toEqual({
    threshold: 'HIGH',
    scanType: 'basic',
    counts: { MEDIUM: 2 },
  })
  const summary = renderSummary({ results, spans: timer.spans, failure: undefined }, NO_HIDING)
  expect(summary).toContain('| Image scan | no finding at or above HIGH (ECR basic scan: MEDIUM 2) |')
})

test('fail-on-severity without it: no scan read, no output', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] })
  const { ecr } = await runPhases(inputsOf({ 'ecr-repository': 'shop/api', 'require-image': 'true' }))
  expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0)
  expect(ecr?.scan).toBeUndefined()
})

test.each([
  [{ 'fail-on-severity': 'high', registries: '123456789012' }, /names no image/],
  [
    { 'fail-on-severity': 'high', 'ecr-repository': 'shop/api', 'require-image': 'false' },
    /needs the digest/,
  ],
])('fail-on-severity the plan cannot honour: refused before any call (%j)', async (raw, message) => {
  await expect(runPhases(inputsOf(raw))).rejects.toThrow(message)
  expect(ecrMock.calls()).toHaveLength(0)
})
