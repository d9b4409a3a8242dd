import { promises as fs } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import {
  ACTION_NODE,
  expectSecretsMasked,
  makeRunnerFiles,
  ROOT,
  runAction,
  runnerTempLeftovers,
  runPost,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { decodeEksToken, isSignatureValid } from '../fixtures/eks-token-verify.js'
import { createMotoCluster, readKubeconfig, runExecEntry, runProcess } from '../fixtures/kube-tools.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'

const ROLE = 'arn:aws:iam::123456789012:role/deploy'
const CLUSTER_ROLE = 'arn:aws:iam::123456789012:role/eks-admin'
const REGION = 'eu-west-1'

interface MotoAssumedRole {
  access_key_id: string
  secret_access_key: string
  role_arn: string
}

/** The secret key moto issued with an access key (moto records every session it hands out). */
async function motoSecretKey(moto: MotoServer, accessKeyId: string): Promise<string | undefined> {
  const data = (await (await fetch(`${moto.url}/moto-api/data.json`)).json()) as {
    sts?: { AssumedRole?: MotoAssumedRole[] }
  }
  return data.sts?.AssumedRole?.find((role) => role.access_key_id === accessKeyId)?.secret_access_key
}

describeWithMoto('phase kubeconfig, bundled action against moto_server', () => {
  let moto: MotoServer
  let oidc: OidcServer
  let files: RunnerFiles & { cleanup(): Promise<void> }

  beforeAll(async () => {
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    await createMotoCluster(moto.url, 'demo', REGION)
    await createMotoCluster(moto.url, 'other', REGION)
  })
  afterAll(async () => {
    await Promise.all([moto.stop(), oidc.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const awsEnv = (): Record<string, string> => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_ENDPOINT_URL_EKS: moto.url,
  })
  const deploy = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({
      files,
      inputs: { 'role-to-assume': ROLE, 'aws-region': REGION, 'cluster-name': 'demo', ...inputs },
      env: awsEnv(),
    })
  /** What a later step of the job (kubectl, helm) has: PATH, HOME and the exported variables. */
  const laterStepEnv = (run: ActionRun): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: files.home,
    AWS_ENDPOINT_URL_STS: moto.url,
    ...run.exportedEnv,
  })

  test('exec: kubectl accepts the kubeconfig, its exec entry signs a token, the post step removes it', async () => {
    const run = await deploy()
    expect(run.exitCode).toBe(0)
    const file = run.outputs.kubeconfig ?? ''
    expect(path.dirname(path.dirname(file))).toBe(files.runnerTemp)
    expect(run.exportedEnv.KUBECONFIG).toBe(file)
    expect(run.outputs['cluster-endpoint']).toMatch(/^https:\/\/.+\.eu-west-1\.eks\.amazonaws\.com\/?$/)
    expect(run.outputs['cluster-arn']).toBe('arn:aws:eks:eu-west-1:123456789012:cluster/demo')
    expect(run.outputs['cluster-version']).toMatch(/^\d+\.\d+$/)
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600)
    expect(run.stdout).not.toContain('certificate-authority-data')
    expect(run.summary).toContain('| Cluster | `demo`')

    const view = await runProcess(
      'kubectl',
      ['config', 'view', '--minify', '--raw', '--kubeconfig', file, '-o', 'json'],
      laterStepEnv(run),
    )
    expect(view).toMatchObject({ exitCode: 0, stderr: '' })
    const minified = JSON.parse(view.stdout) as {
      'current-context': string
      clusters: { cluster: { server: string } }[]
      users: { user: { exec: { command: string; args: string[]; apiVersion: string } } }[]
    }
    expect(minified['current-context']).toBe('demo')
    expect(minified.clusters[0]?.cluster.server).toBe(run.outputs['cluster-endpoint'])
    const exec = minified.users[0]?.user.exec
    expect(exec?.apiVersion).toBe('client.authentication.k8s.io/v1beta1')
    expect(exec?.command).toBe(ACTION_NODE)
    expect(exec?.args).toEqual([
      path.join(ROOT, 'dist', 'token', 'index.js'),
      '--cluster-name',
      'demo',
      '--region',
      REGION,
    ])

    const kubeconfig = await readKubeconfig(file)
    const plugin = await runExecEntry(kubeconfig.users[0]?.user.exec ?? fail(), laterStepEnv(run))
    expect(plugin).toMatchObject({ exitCode: 0, stderr: '' })
    const credential = plugin.credential ?? fail()
    expect(credential).toMatchObject({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
    })
    const expiresInMs = Date.parse(credential.status.expirationTimestamp) - Date.now()
    expect(expiresInMs).toBeGreaterThan(13 * 60_000)
    expect(expiresInMs).toBeLessThanOrEqual(14 * 60_000)
    const { url, params } = decodeEksToken(credential.status.token)
    expect(url.origin).toBe(moto.url)
    expect(params.get('X-Amz-Credential')).toMatch(
      new RegExp(`^${run.exportedEnv.AWS_ACCESS_KEY_ID ?? ''}/\\d{8}/${REGION}/sts/aws4_request$`),
    )
    expect(params.get('X-Amz-Security-Token')).toBe(run.exportedEnv.AWS_SESSION_TOKEN)
    expect(
      isSignatureValid(credential.status.token, run.exportedEnv.AWS_SECRET_ACCESS_KEY ?? '', 'demo'),
    ).toBe(true)
    expectSecretsMasked(run, [
      run.exportedEnv.AWS_SECRET_ACCESS_KEY ?? '',
      run.exportedEnv.AWS_SESSION_TOKEN ?? '',
    ])

    const post = await runPost({ files, state: run.state })
    expect(post.exitCode).toBe(0)
    await expect(fs.access(path.dirname(file))).rejects.toThrow(/ENOENT/)
  })

  test('the exec entry without credentials in its environment fails with a clear message', async () => {
    const run = await deploy()
    const kubeconfig = await readKubeconfig(run.outputs.kubeconfig ?? '')
    const plugin = await runExecEntry(kubeconfig.users[0]?.user.exec ?? fail(), { PATH: '/usr/bin:/bin' })
    expect(plugin.exitCode).toBe(1)
    expect(plugin.stdout).toBe('')
    expect(plugin.stderr).toMatch(/no AWS credentials to sign the EKS token with/)
  })

  test('a cluster name that does not exist: fails, listing the clusters the role sees', async () => {
    const run = await deploy({ 'cluster-name': 'demo-typo' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain("EKS cluster 'demo-typo' was not found in eu-west-1.")
    expect(run.stdout).toContain('Clusters the role sees in eu-west-1: demo, other.')
    expect(run.stdout).toContain("Fix 'cluster-name', or set 'aws-region'")
    expect(run.stdout).toMatch(/ResourceNotFoundException, HTTP 404, request id \S+/)
    // What auth got is reported (as in the summary); nothing of the kubeconfig.
    expect(Object.keys(run.outputs).sort()).toEqual([
      'aws-account-id',
      'aws-credentials-expiration',
      'aws-session-arn',
    ])
    expect(await runnerTempLeftovers(files)).toEqual([])
  })

  test('token with ambient credentials (no auth): a static token, masked; export-kubeconfig false', async () => {
    const ambient = {
      AWS_ACCESS_KEY_ID: 'AKIAAMBIENTEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'ambient/secret+key',
      AWS_ENDPOINT_URL_STS: moto.url,
      AWS_ENDPOINT_URL_EKS: moto.url,
    }
    const run = await runAction({
      files,
      inputs: {
        'aws-region': REGION,
        'cluster-name': 'other',
        'kubeconfig-auth': 'token',
        'export-kubeconfig': 'false',
      },
      env: ambient,
    })
    expect(run.exitCode).toBe(0)
    expect(run.exportedEnv).toEqual({})
    const file = run.outputs.kubeconfig ?? ''
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600)
    const token = (await readKubeconfig(file)).users[0]?.user.token ?? ''
    expect(isSignatureValid(token, ambient.AWS_SECRET_ACCESS_KEY, 'other')).toBe(true)
    expect(decodeEksToken(token).url.origin).toBe(moto.url)
    expect(run.masks).toEqual(expect.arrayContaining([token, ambient.AWS_SECRET_ACCESS_KEY]))
    expectSecretsMasked(run, [token, ambient.AWS_SECRET_ACCESS_KEY])
    const view = await runProcess('kubectl', ['config', 'view', '--minify', '--kubeconfig', file], {
      PATH: process.env.PATH ?? '',
      HOME: files.home,
    })
    expect(view.exitCode).toBe(0)
    expect(parse(view.stdout)).toMatchObject({ users: [{ user: { token: 'REDACTED' } }] })
  })

  test('cluster-role-arn: its credentials go to a 0600 file the plugin reads, never to the env', async () => {
    const run = await deploy({ 'cluster-role-arn': CLUSTER_ROLE })
    expect(run.exitCode).toBe(0)
    const file = run.outputs.kubeconfig ?? ''
    const exec = (await readKubeconfig(file)).users[0]?.user.exec ?? fail()
    const credentialsFile = exec.args.at(-1) ?? ''
    expect(exec.args.at(-2)).toBe('--credentials-file')
    expect(path.dirname(credentialsFile)).toBe(path.dirname(file))
    expect((await fs.stat(credentialsFile)).mode & 0o777).toBe(0o600)

    const stored = JSON.parse(await fs.readFile(credentialsFile, 'utf8')) as Record<string, string>
    const clusterSecrets = [stored.AccessKeyId ?? '', stored.SecretAccessKey ?? '', stored.SessionToken ?? '']
    expect(run.masks).toEqual(expect.arrayContaining(clusterSecrets))
    expectSecretsMasked(run, clusterSecrets)
    expect(Object.values(run.exportedEnv)).not.toEqual(expect.arrayContaining(clusterSecrets.slice(0, 1)))
    expect(await fs.readFile(file, 'utf8')).not.toContain(stored.SecretAccessKey)

    // Only the endpoint in the environment: the plugin signs with the file's credentials.
    const plugin = await runExecEntry(exec, { PATH: '/usr/bin:/bin', AWS_ENDPOINT_URL_STS: moto.url })
    const token = plugin.credential?.status.token ?? fail(plugin.stderr)
    expect(decodeEksToken(token).params.get('X-Amz-Credential')).toMatch(
      new RegExp(`^${stored.AccessKeyId}/`),
    )
    const issued = await motoSecretKey(moto, stored.AccessKeyId ?? '')
    expect(issued).toBe(stored.SecretAccessKey)
    expect(isSignatureValid(token, issued ?? '', 'demo')).toBe(true)

    const post = await runPost({ files, state: run.state })
    expect(post.exitCode).toBe(0)
    await expect(fs.access(credentialsFile)).rejects.toThrow(/ENOENT/)
  })

  test('a bad kubeconfig-auth fails before any AWS call, naming the input', async () => {
    const before = oidc.requests.length
    const run = await deploy({ 'kubeconfig-auth': 'static' })
    expect(run.exitCode).toBe(1)
    expect(oidc.requests.length).toBe(before)
    expect(run.stdout).toContain(
      "Input 'kubeconfig-auth': must be one of 'exec', 'token'. Received: 'static'.",
    )
  })
})

function fail(message = 'missing'): never {
  throw new Error(message)
}
