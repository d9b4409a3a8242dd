import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import { ActionError } from '../../../../src/lib/errors.js'
import type { RegistryRef } from '../../../../src/inputs/types.js'
import { loginToEcr, type EcrLoginParams } from '../../../../src/phases/ecr/login.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

const ecrMock = mockClient(ECRClient)
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const PASSWORD = 'eyJwYXlsb2FkIjoic2VjcmV0LXBhc3N3b3JkIn0'
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64')
const EXPIRES = new Date('2030-01-01T12:00:00Z')

let dir: string
let runtime: FakeRuntime
const regions: string[] = []

beforeEach(async () => {
  ecrMock.reset()
  regions.length = 0
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ecr-login-test-'))
  runtime = new FakeRuntime()
  ecrMock.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: `https://${HOST}`, expiresAt: EXPIRES }],
  })
})
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

const params = (overrides: Partial<EcrLoginParams> = {}): EcrLoginParams => ({
  region: 'eu-west-1',
  registries: [],
  chartRegistries: [],
  runnerTemp: path.join(dir, 'runner-temp'),
  baseConfigDir: path.join(dir, 'home', '.docker'),
  ...overrides,
})
const deps = () => ({
  runtime,
  ecr: (region: string) => {
    regions.push(region)
    return Promise.resolve(new ECRClient({ region }))
  },
})
const readConfig = async (configDir: string): Promise<Record<string, unknown>> =>
  JSON.parse(await fs.readFile(path.join(configDir, 'config.json'), 'utf8')) as Record<string, unknown>

test("the caller's registry: one call without registryIds, the proxy endpoint's host, a private config", async () => {
  const result = await loginToEcr(params(), deps())

  expect(ecrMock.commandCalls(GetAuthorizationTokenCommand).map((call) => call.args[0].input)).toEqual([{}])
  expect(regions).toEqual(['eu-west-1'])
  expect(result.registries).toEqual([{ host: HOST, expiresAt: EXPIRES }])
  expect(result.createdPaths).toEqual([result.dockerConfigDir])
  expect(path.dirname(result.dockerConfigDir)).toBe(path.join(dir, 'runner-temp'))
  expect(await readConfig(result.dockerConfigDir)).toEqual({ auths: { [HOST]: { auth: TOKEN } } })
  expect((await fs.stat(result.dockerConfigDir)).mode & 0o777).toBe(0o700)
  expect((await fs.stat(path.join(result.dockerConfigDir, 'config.json'))).mode & 0o777).toBe(0o600)
})

test('masks the token and the password before anything is logged, and never logs them', async () => {
  const logsWhenMasked: number[] = []
  const record = runtime.setSecret.bind(runtime)
  runtime.setSecret = (secret) => {
    logsWhenMasked.push(runtime.logs.length)
    record(secret)
  }
  await loginToEcr(params(), deps())
  expect(runtime.secrets.slice(0, 2)).toEqual([TOKEN, PASSWORD])
  expect(logsWhenMasked).toEqual([0, 0])
  for (const line of runtime.logs) {
    expect(line).not.toContain(PASSWORD)
    expect(line).not.toContain(TOKEN)
  }
  expect(runtime.logs).toContain(`Logged in to ${HOST} until 2030-01-01T12:00:00.000Z.`)
})

test('registries: one call per region, each listed host gets the regional token', async () => {
  const registries: RegistryRef[] = [
    { kind: 'account', accountId: '111111111111' },
    {
      kind: 'host',
      host: '222222222222.dkr.ecr.us-east-1.amazonaws.com',
      accountId: '222222222222',
      region: 'us-east-1',
    },
    { kind: 'account', accountId: '333333333333' },
  ]
  const result = await loginToEcr(params({ registries }), deps())
  expect(regions.sort()).toEqual(['eu-west-1', 'us-east-1'])
  expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(2)
  expect(result.registries.map((registry) => registry.host)).toEqual([
    '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
    '333333333333.dkr.ecr.eu-west-1.amazonaws.com',
    '222222222222.dkr.ecr.us-east-1.amazonaws.com',
  ])
  const config = await readConfig(result.dockerConfigDir)
  expect(Object.keys(config.auths as object).sort()).toEqual([
    '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
    '222222222222.dkr.ecr.us-east-1.amazonaws.com',
    '333333333333.dkr.ecr.eu-west-1.amazonaws.com',
  ])
  expect(config.auths).not.toHaveProperty(HOST)
})

test("starts from the user's config and links the rest of the user's Docker directory", async () => {
  const base = path.join(dir, 'home', '.docker')
  await fs.mkdir(path.join(base, 'buildx', 'instances'), { recursive: true })
  await fs.writeFile(path.join(base, 'buildx', 'instances', 'builder'), '{}')
  await fs.writeFile(
    path.join(base, 'config.json'),
    JSON.stringify({
      auths: { 'ghcr.io': { auth: 'Z2hjcg==' } },
      credsStore: 'desktop',
      credHelpers: { [HOST]: 'ecr-login' },
    }),
  )
  const result = await loginToEcr(params(), deps())
  expect(await readConfig(result.dockerConfigDir)).toEqual({
    auths: { 'ghcr.io': { auth: 'Z2hjcg==' }, [HOST]: { auth: TOKEN } },
  })
  expect(await fs.readlink(path.join(result.dockerConfigDir, 'buildx'))).toBe(path.join(base, 'buildx'))
  expect(await fs.readFile(path.join(base, 'config.json'), 'utf8')).toContain('desktop')
  expect(runtime.logs.join('\n')).toContain("credsStore 'desktop'")
  expect(runtime.logs.join('\n')).toContain(`Replaced the credHelpers entries for ${HOST}.`)
})

test('a config.json that is not JSON: a warning that does not quote it, and a fresh config', async () => {
  const base = path.join(dir, 'home', '.docker')
  await fs.mkdir(base, { recursive: true })
  await fs.writeFile(
    path.join(base, 'config.json'),
    '{"auths": {"x": {"auth": "c2VjcmV0LWluLWJyb2tlbi1maWxl"',
  )
  const result = await loginToEcr(params(), deps())
  expect(await readConfig(result.dockerConfigDir)).toEqual({ auths: { [HOST]: { auth: TOKEN } } })
  const warnings = runtime.logs.filter((line) => line.startsWith('warning:'))
  expect(warnings).toEqual([
    `warning: ${path.join(base, 'config.json')} is not valid JSON; the new Docker config starts empty instead of from it.`,
  ])
  expect(warnings.join('\n')).not.toContain('c2VjcmV0')
})

test('AccessDeniedException: says which permission is missing, keeps the AWS error', async () => {
  const denied = Object.assign(new Error('User is not authorized to perform ecr:GetAuthorizationToken'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400, requestId: 'req-1' },
  })
  ecrMock.on(GetAuthorizationTokenCommand).rejects(denied)
  const error = await loginToEcr(params(), deps()).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ActionError)
  expect((error as ActionError).message).toBe(
    'Not authorized to call ecr:GetAuthorizationToken (region eu-west-1).',
  )
  expect((error as ActionError).hint).toContain('Allow ecr:GetAuthorizationToken')
  expect((error as ActionError).cause).toBe(denied)
  expect(await fs.readdir(dir)).toEqual([])
})

test('no ambient credentials: says how to give some', async () => {
  ecrMock
    .on(GetAuthorizationTokenCommand)
    .rejects(Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }))
  await expect(loginToEcr(params(), deps())).rejects.toThrow(
    'ECR GetAuthorizationToken (region eu-west-1) has no AWS credentials to sign with.',
  )
})

test.each([
  ['no authorization data', { authorizationData: [] }, /without authorization data/],
  ['no proxy endpoint', { authorizationData: [{ authorizationToken: TOKEN }] }, /without a proxy endpoint/],
  [
    'a token that is not user:password',
    {
      authorizationData: [
        { authorizationToken: Buffer.from('garbage').toString('base64'), proxyEndpoint: `https://${HOST}` },
      ],
    },
    /not base64 of user:password/,
  ],
])('%s: a clear error and no directory left behind', async (_label, answer, message) => {
  ecrMock.on(GetAuthorizationTokenCommand).resolves(answer)
  await expect(loginToEcr(params(), deps())).rejects.toThrow(message)
  await expect(fs.readdir(path.join(dir, 'runner-temp'))).rejects.toThrow(/ENOENT/)
})

test('a failure after the directory was made removes it', async () => {
  const base = path.join(dir, 'home', '.docker')
  await fs.mkdir(path.join(base, 'config.json'), { recursive: true })
  await expect(loginToEcr(params(), deps())).rejects.toThrow(/Could not read the existing Docker config/)
  expect(await fs.readdir(path.join(dir, 'runner-temp'))).toEqual([])
})

test("an oci:// chart's registry in the same region: one call, the caller's registry first, then the chart's", async () => {
  const chartHost = '210987654321.dkr.ecr.eu-west-1.amazonaws.com'
  const chart = { kind: 'host', host: chartHost, accountId: '210987654321', region: 'eu-west-1' } as const
  const result = await loginToEcr(params({ chartRegistries: [chart] }), deps())
  expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1)
  expect(result.registries.map((entry) => entry.host)).toEqual([HOST, chartHost])
  expect(await readConfig(result.dockerConfigDir)).toEqual({
    auths: { [HOST]: { auth: TOKEN }, [chartHost]: { auth: TOKEN } },
  })
})
