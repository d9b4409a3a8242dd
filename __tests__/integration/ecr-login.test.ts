import { promises as fs } from 'node:fs'
import path from 'node:path'
import { CreateRepositoryCommand, ECRClient, StartImageScanCommand } from '@aws-sdk/client-ecr'
import {
  expectNeverPrinted,
  expectSecretsMasked,
  makeRunnerFiles,
  runAction,
  runPost,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { expectedEcrLogin, putImage as putEcrImage } from '../fixtures/ecr-images.js'
import { startFaultProxy, type ProxiedRequest } from '../fixtures/fault-proxy.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'

const REGION = 'eu-west-1'
const REGISTRY = `123456789012.dkr.ecr.${REGION}.amazonaws.com`
/** GITHUB_SHA of the runner fixture, cut to the default 7 characters. */
const SHORT_SHA = '0123456'
interface DockerConfigFile {
  auths?: Record<string, { auth?: string }>
  credsStore?: string
}
const STATIC_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAMOTOTESTING00001',
  AWS_SECRET_ACCESS_KEY: 'moto-testing-secret',
}

describeWithMoto('phase ecr-login and the image check, bundled action against moto_server', () => {
  let moto: MotoServer
  let oidc: OidcServer
  let admin: ECRClient
  let files: RunnerFiles & { cleanup(): Promise<void> }
  let repositoryCount = 0

  beforeAll(async () => {
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    admin = new ECRClient({
      region: REGION,
      endpoint: moto.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    })
  })
  afterAll(async () => {
    admin.destroy()
    await Promise.all([moto.stop(), oidc.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const ecrEnv = (): Record<string, string> => ({ ...STATIC_CREDENTIALS, AWS_ENDPOINT_URL_ECR: moto.url })

  async function createRepository(): Promise<string> {
    const name = `shop/api-${++repositoryCount}`
    await admin.send(new CreateRepositoryCommand({ repositoryName: name }))
    return name
  }

  const putImage = (repositoryName: string, tag: string): Promise<string> =>
    putEcrImage(admin, repositoryName, tag)
  const expectedLogin = (): Promise<{ token: string; password: string }> => expectedEcrLogin(admin)

  async function readConfig(run: ActionRun): Promise<DockerConfigFile> {
    const dir = run.outputs['docker-config'] ?? ''
    return JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8')) as DockerConfigFile
  }

  async function seedUserDockerConfig(): Promise<string> {
    const docker = path.join(files.home, '.docker')
    await fs.mkdir(path.join(docker, 'buildx'), { recursive: true })
    await fs.writeFile(
      path.join(docker, 'config.json'),
      JSON.stringify({ auths: { 'ghcr.io': { auth: 'Z2hjcjp0b2tlbg==' } }, credsStore: 'desktop' }),
    )
    return docker
  }

  test('before a build: logs in, writes the image to push, a private config, DOCKER_CONFIG; the post step removes it', async () => {
    const repository = await createRepository()
    const userDocker = await seedUserDockerConfig()
    const run = await runAction({
      files,
      inputs: { 'aws-region': REGION, 'ecr-repository': repository },
      env: ecrEnv(),
    })
    expect(run.exitCode).toBe(0)
    const dir = run.outputs['docker-config'] ?? ''
    expect(run.outputs).toEqual({
      registry: REGISTRY,
      image: `${REGISTRY}/${repository}:${SHORT_SHA}`,
      'image-tag': SHORT_SHA,
      'docker-config': dir,
    })
    expect(path.dirname(dir)).toBe(files.runnerTemp)
    expect(run.exportedEnv).toEqual({ DOCKER_CONFIG: dir })

    const { token, password } = await expectedLogin()
    const config = await readConfig(run)
    expect(config.auths).toEqual({ 'ghcr.io': { auth: 'Z2hjcjp0b2tlbg==' }, [REGISTRY]: { auth: token } })
    expect(Buffer.from(config.auths?.[REGISTRY]?.auth ?? '', 'base64').toString()).toBe(`AWS:${password}`)
    expect(config).not.toHaveProperty('credsStore')
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700)
    expect((await fs.stat(path.join(dir, 'config.json'))).mode & 0o777).toBe(0o600)
    expect(await fs.readlink(path.join(dir, 'buildx'))).toBe(path.join(userDocker, 'buildx'))

    expect(run.masks).toEqual(expect.arrayContaining([token, password]))
    expectSecretsMasked(run, [token, password])
    expectNeverPrinted(run, [STATIC_CREDENTIALS.AWS_SECRET_ACCESS_KEY])
    expect(run.stdout).toContain(`Logged in to ${REGISTRY}`)
    expect(run.summary).toContain(`| Image | \`${REGISTRY}/${repository}:${SHORT_SHA}\` |`)

    const post = await runPost({ files, state: run.state })
    expect(post.exitCode).toBe(0)
    await expect(fs.stat(dir)).rejects.toThrow(/ENOENT/)
    expect(await fs.readdir(path.join(userDocker, 'buildx'))).toEqual([])
    expect(await fs.readFile(path.join(userDocker, 'config.json'), 'utf8')).toContain('desktop')
  })

  test('pull_request: the tag names the PR head commit; the image is found and deployed by digest', async () => {
    const repository = await createRepository()
    const head = 'fedcba9876543210fedcba9876543210fedcba98'
    const event = path.join(files.dir, 'event.json')
    await fs.writeFile(event, JSON.stringify({ pull_request: { number: 9, head: { sha: head } } }))
    const digest = await putImage(repository, 'pr-fedcba9876')
    const run = await runAction({
      files,
      inputs: {
        'aws-region': REGION,
        'ecr-repository': repository,
        'tag-prefix': 'pr-',
        'tag-length': '10',
        'require-image': 'true',
      },
      env: { ...ecrEnv(), GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event },
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['image-tag']).toBe('pr-fedcba9876')
    expect(run.outputs['image-digest']).toBe(digest)
    expect(run.outputs.image).toBe(`${REGISTRY}/${repository}@${digest}`)
    expect(run.stdout).toContain(
      `Image tag pr-fedcba9876: commit ${head} (pull_request.head.sha of the event payload).`,
    )
    expect(run.summary).toContain(digest)
  })

  test('a missing image fails naming repository, tag, region and the recent tags; the login is still cleaned up', async () => {
    const repository = await createRepository()
    await putImage(repository, 'older')
    await putImage(repository, 'newer')
    const run = await runAction({
      files,
      inputs: { 'aws-region': REGION, 'ecr-repository': repository, 'require-image': 'true' },
      env: ecrEnv(),
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `::error::The image ${repository}:${SHORT_SHA} is not in ECR (repository ${repository}, registry the caller's account, region ${REGION}). Its most recent tags: `,
    )
    expect(run.stdout).toMatch(/Its most recent tags: (newer, older|older, newer)\./)
    expect(run.stdout).toContain('image-wait-seconds')
    expect(run.outputs).toEqual({})
    const { token, password } = await expectedLogin()
    expectSecretsMasked(run, [token, password])

    const recorded = JSON.parse(run.state.cleanup ?? '{}') as { paths: string[] }
    expect(recorded.paths).toHaveLength(1)
    await fs.stat(recorded.paths[0]!)
    const post = await runPost({ files, state: run.state })
    expect(post.exitCode).toBe(0)
    await expect(fs.stat(recorded.paths[0]!)).rejects.toThrow(/ENOENT/)
  })

  test('image-wait-seconds: waits for an image a parallel build pushes', async () => {
    const repository = await createRepository()
    let digest = ''
    // The "parallel build" pushes when the action's first DescribeImages misses: the proxy holds
    // that answer until the push is done, so the next poll finds the image however slow the machine.
    const proxy = await startFaultProxy(moto.url)
    const isLookup = (request: ProxiedRequest): boolean =>
      request.operation === 'DescribeImages' && request.body.includes('"imageTag":"late"')
    proxy.inject(
      isLookup,
      {
        kind: 'answer',
        rewrite: async (answer) => {
          expect(answer.body.toString()).toContain('ImageNotFoundException')
          digest = await putImage(repository, 'late')
          return answer
        },
      },
      1,
    )
    const run = await runAction({
      files,
      inputs: {
        'aws-region': REGION,
        'ecr-repository': repository,
        'image-tag': 'late',
        'require-image': 'true',
        'image-wait-seconds': '30',
      },
      env: { ...ecrEnv(), AWS_ENDPOINT_URL_ECR: proxy.url },
    })
    await proxy.stop()
    expect(run.exitCode).toBe(0)
    expect(run.outputs['image-digest']).toBe(digest)
    expect(run.stdout).toContain(`${repository}:late is not in ECR yet; looking again`)
    expect(proxy.requests.filter(isLookup)).toHaveLength(2)
  })

  test('a derived tag Docker would refuse fails before any AWS call', async () => {
    const run = await runAction({
      files,
      inputs: { 'aws-region': REGION, 'ecr-repository': 'shop/api', 'tag-prefix': '-x' },
      env: { ...STATIC_CREDENTIALS, AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(`The image tag '-x${SHORT_SHA}'`)
    expect(run.stdout).toContain('must not start with . or -')
    expect(run.stdout).not.toContain('ECONNREFUSED')
  })

  test('registries in two regions and skip-logout: both logged in, nothing left for the post step', async () => {
    const run = await runAction({
      files,
      inputs: {
        'aws-region': REGION,
        registries: '111111111111\n222222222222.dkr.ecr.us-east-1.amazonaws.com',
        'skip-logout': 'true',
      },
      env: ecrEnv(),
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.registry).toBe(`111111111111.dkr.ecr.${REGION}.amazonaws.com`)
    expect(Object.keys((await readConfig(run)).auths ?? {}).sort()).toEqual([
      `111111111111.dkr.ecr.${REGION}.amazonaws.com`,
      '222222222222.dkr.ecr.us-east-1.amazonaws.com',
    ])
    expect(run.state).toEqual({})
    expect(run.outputs.image).toBeUndefined()
  })

  test('composition: auth,ecr-login, then ecr-login alone on the credentials the first run exported', async () => {
    await seedUserDockerConfig()
    const repository = await createRepository()
    const first = await runAction({
      files,
      inputs: {
        phases: 'auth,ecr-login',
        'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
        'aws-region': REGION,
        'ecr-repository': repository,
      },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        AWS_ENDPOINT_URL_STS: moto.url,
        AWS_ENDPOINT_URL_ECR: moto.url,
      },
    })
    expect(first.exitCode).toBe(0)
    expect(first.outputs.image).toBe(`${REGISTRY}/${repository}:${SHORT_SHA}`)
    const exported = first.exportedEnv
    expect(Object.keys(exported).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_CREDENTIAL_EXPIRATION',
      'AWS_DEFAULT_REGION',
      'AWS_REGION',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'DOCKER_CONFIG',
    ])
    // The second run must find the ghcr.io login through DOCKER_CONFIG, not ~/.docker.
    await fs.rm(path.join(files.home, '.docker', 'config.json'))

    const second = await runAction({
      files,
      inputs: { phases: 'ecr-login', 'ecr-repository': repository },
      env: { ...exported, AWS_ENDPOINT_URL_ECR: moto.url },
    })
    expect(second.exitCode).toBe(0)
    expect(second.outputs.image).toBe(first.outputs.image)
    expect(second.outputs['docker-config']).not.toBe(first.outputs['docker-config'])
    expect(Object.keys((await readConfig(second)).auths ?? {}).sort()).toEqual([REGISTRY, 'ghcr.io'])
    const { token, password } = await expectedLogin()
    // The first run made the session credentials; the second received them from the job's env.
    expectSecretsMasked(first, [
      token,
      password,
      exported.AWS_SECRET_ACCESS_KEY ?? '',
      exported.AWS_SESSION_TOKEN ?? '',
    ])
    expectSecretsMasked(second, [token, password])
    expectNeverPrinted(second, [exported.AWS_SECRET_ACCESS_KEY ?? '', exported.AWS_SESSION_TOKEN ?? ''])

    for (const run of [second, first]) {
      expect((await runPost({ files, state: run.state })).exitCode).toBe(0)
      await expect(fs.stat(run.outputs['docker-config'] ?? '')).rejects.toThrow(/ENOENT/)
    }
  })

  /** A finished scan of the digest: moto answers DescribeImageScanFindings with `findings` once the image was scanned. */
  async function scanWith(
    repository: string,
    digest: string,
    findings: unknown[],
    counts: Record<string, number>,
  ) {
    await admin.send(
      new StartImageScanCommand({ repositoryName: repository, imageId: { imageDigest: digest } }),
    )
    const result = {
      registryId: '123456789012',
      repositoryName: repository,
      imageId: { imageDigest: digest },
      imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindings: { findings, findingSeverityCounts: counts },
    }
    const response = await fetch(`${moto.url}/moto-api/static/ecr/scan-finding-results`, {
      method: 'POST',
      body: JSON.stringify({ results: [result], region: REGION }),
    })
    expect(response.status).toBe(201)
  }
  const finding = (name: string, severity: string, pkg: string, version: string) => ({
    name,
    severity,
    uri: `https://cve.example/${name}`,
    attributes: [
      { key: 'package_name', value: pkg },
      { key: 'package_version', value: version },
    ],
  })
  const scanInputs = (repository: string): Record<string, string> => ({
    'aws-region': REGION,
    'ecr-repository': repository,
    'image-tag': 'v1',
    'require-image': 'true',
    'fail-on-severity': 'HIGH',
  })

  test('fail-on-severity HIGH, findings below it: passes, output image-scan-findings and the summary row', async () => {
    const repository = await createRepository()
    const digest = await putImage(repository, 'v1')
    await scanWith(repository, digest, [finding('CVE-2026-0001', 'MEDIUM', 'zlib', '1.2.13')], { MEDIUM: 1 })
    const run = await runAction({ files, inputs: scanInputs(repository), env: ecrEnv() })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['image-scan-findings'] ?? '')).toEqual({
      threshold: 'HIGH',
      scanType: 'basic',
      counts: { MEDIUM: 1 },
    })
    expect(run.stdout).toContain(`ECR's basic scan of ${repository}@${digest}: MEDIUM 1.`)
    expect(run.summary).toContain('| Image scan | no finding at or above HIGH (ECR basic scan: MEDIUM 1) |')
  })

  test('fail-on-severity HIGH, a CRITICAL finding: refused, naming it; no scan at all: refused, saying how to scan', async () => {
    const repository = await createRepository()
    const digest = await putImage(repository, 'v1')
    await scanWith(
      repository,
      digest,
      [
        finding('CVE-2026-0002', 'CRITICAL', 'openssl', '3.0.2'),
        finding('CVE-2026-0003', 'LOW', 'bash', '5.2'),
      ],
      { CRITICAL: 1, LOW: 1 },
    )
    const refused = await runAction({ files, inputs: scanInputs(repository), env: ecrEnv() })
    expect(refused.exitCode).toBe(1)
    expect(refused.stdout).toContain(
      `::error::Refused to deploy ${repository}@${digest}: ECR's basic scan found 1 finding at or above HIGH (fail-on-severity).%0A  findings: CRITICAL 1, LOW 1%0A  CRITICAL CVE-2026-0002 openssl 3.0.2 https://cve.example/CVE-2026-0002`,
    )
    expect(refused.outputs['image-scan-findings']).toBeUndefined()

    const unscanned = await createRepository()
    await putImage(unscanned, 'v1')
    const none = await runAction({ files, inputs: scanInputs(unscanned), env: ecrEnv() })
    expect(none.exitCode).toBe(1)
    expect(none.stdout).toContain('ECR has no scan of this digest, so fail-on-severity cannot vouch for it.')
    expect(none.stdout).toContain('scanOnPush=true')
  })
})
