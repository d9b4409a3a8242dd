import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import {
  ACTION_NODE,
  makeRunnerFiles,
  ROOT,
  runAction,
  runPost,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { allowStsEndpoint, describeWithEksLab, findWebhookReview } from '../fixtures/lab.js'
import { startEksProxy, type EksProxy } from '../fixtures/eks-proxy.js'
import { createMotoCluster, readKubeconfig, runProcess } from '../fixtures/kube-tools.js'
import { hasMotoServer, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'
import { stringify } from 'yaml'

const REGION = 'us-east-1'
const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/deploy'
const CI_ROLE = 'arn:aws:iam::123456789012:role/ci-no-cluster-access'

describeWithEksLab('phase kubeconfig against the EKS lab (real API server, EKS token webhook)', (lab) => {
  let moto: MotoServer
  let oidc: OidcServer
  let proxy: EksProxy
  let disallow: () => Promise<void>
  let files: RunnerFiles & { cleanup(): Promise<void> }
  /** A PATH with nothing on it: no AWS CLI, no kubectl, no node (the kubeconfig names node by path). */
  let emptyPath: string

  beforeAll(async () => {
    if (!hasMotoServer()) throw new Error('moto_server is not on the PATH (pip install "moto[server]")')
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    await createMotoCluster(moto.url, lab.clusterName, REGION)
    proxy = await startEksProxy({
      target: moto.url,
      clusterName: lab.clusterName,
      endpoint: lab.server,
      certificateAuthorityData: lab.caData,
    })
    disallow = await allowStsEndpoint(lab, moto.url, 'kubeconfig-lab')
  })
  afterAll(async () => {
    await disallow()
    await Promise.all([moto.stop(), oidc.stop(), proxy.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
    emptyPath = path.join(files.dir, 'empty-bin')
    await fs.mkdir(emptyPath)
  })
  afterEach(async () => {
    await files.cleanup()
  })

  const action = (inputs: Record<string, string>): Promise<ActionRun> =>
    runAction({
      files,
      inputs: { 'aws-region': REGION, 'cluster-name': lab.clusterName, ...inputs },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        AWS_ENDPOINT_URL_STS: moto.url,
        AWS_ENDPOINT_URL_EKS: proxy.url,
      },
    })
  /** A later step of the job: what the action exported, the STS endpoint, and no AWS CLI anywhere. */
  const laterStep = (run: ActionRun, extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: emptyPath,
    HOME: files.home,
    AWS_ENDPOINT_URL_STS: moto.url,
    ...run.exportedEnv,
    ...extra,
  })

  test('exec: kubectl and helm 3/4 reach the cluster through the token plugin, without the AWS CLI', async () => {
    const run = await action({ 'role-to-assume': DEPLOY_ROLE })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['cluster-endpoint']).toBe(lab.server)
    const env = laterStep(run)
    expect(env.KUBECONFIG).toBe(run.outputs.kubeconfig)

    const kubectl = await runProcess(lab.kubectl, ['get', 'ns', '-o', 'name'], env)
    expect(kubectl).toMatchObject({ exitCode: 0, stderr: '' })
    expect(kubectl.stdout).toContain('namespace/default')
    for (const helm of [lab.helm3, lab.helm4]) {
      const list = await runProcess(helm, ['list', '--all-namespaces', '--output', 'json'], {
        ...env,
        HELM_CACHE_HOME: path.join(files.dir, 'helm-cache'),
        HELM_CONFIG_HOME: path.join(files.dir, 'helm-config'),
        HELM_DATA_HOME: path.join(files.dir, 'helm-data'),
      })
      expect([helm, list.exitCode, list.stderr]).toEqual([helm, 0, ''])
      expect(Array.isArray(JSON.parse(list.stdout))).toBe(true)
    }

    const post = await runPost({ files, state: run.state })
    expect(post.exitCode).toBe(0)
    const after = await runProcess(lab.kubectl, ['get', 'ns'], env)
    expect(after.exitCode).not.toBe(0)
  })

  test('a token signed for another cluster name is refused (401, SignatureDoesNotMatch)', async () => {
    const run = await action({ 'role-to-assume': DEPLOY_ROLE })
    expect(run.exitCode).toBe(0)
    const caFile = path.join(files.dir, 'ca.pem')
    await fs.writeFile(caFile, Buffer.from(lab.caData, 'base64'))
    const emptyKubeconfig = path.join(files.dir, 'empty-kubeconfig')
    await fs.writeFile(emptyKubeconfig, '')
    const tokenFor = async (clusterName: string): Promise<string> => {
      const plugin = await runProcess(
        ACTION_NODE,
        [path.join(ROOT, 'dist/token/index.js'), '--cluster-name', clusterName, '--region', REGION],
        laterStep(run),
      )
      expect(plugin.exitCode).toBe(0)
      return (JSON.parse(plugin.stdout) as { status: { token: string } }).status.token
    }
    const getNs = (token: string) =>
      runProcess(
        lab.kubectl,
        [
          `--kubeconfig=${emptyKubeconfig}`,
          `--server=${lab.server}`,
          `--certificate-authority=${caFile}`,
          `--token=${token}`,
          'get',
          'ns',
          '-o',
          'name',
        ],
        { PATH: emptyPath, HOME: files.home },
      )

    const wrong = await tokenFor(`${lab.clusterName}-other`)
    const refused = await getNs(wrong)
    expect(refused.exitCode).not.toBe(0)
    expect(refused.stderr).toMatch(/Unauthorized/)
    const review = await findWebhookReview(lab, createHash('sha256').update(wrong).digest('hex'))
    expect(review).toMatchObject({ authenticated: false })
    expect(review?.reason).toMatch(/SignatureDoesNotMatch/)

    const accepted = await getNs(await tokenFor(lab.clusterName))
    expect(accepted).toMatchObject({ exitCode: 0 })
    expect(accepted.stdout).toContain('namespace/default')
  })

  test('kubeconfig-auth token: a static token works with no AWS credentials anywhere', async () => {
    const run = await action({ 'role-to-assume': DEPLOY_ROLE, 'kubeconfig-auth': 'token' })
    expect(run.exitCode).toBe(0)
    const kubectl = await runProcess(
      lab.kubectl,
      ['--kubeconfig', run.outputs.kubeconfig ?? '', 'get', 'ns', '-o', 'name'],
      { PATH: emptyPath, HOME: files.home },
    )
    expect(kubectl).toMatchObject({ exitCode: 0, stderr: '' })
    expect(kubectl.stdout).toContain('namespace/kube-system')
  })

  test('cluster-role-arn: a role without cluster access reaches the cluster as the cluster role', async () => {
    const run = await action({ 'role-to-assume': CI_ROLE, 'cluster-role-arn': DEPLOY_ROLE })
    expect(run.exitCode).toBe(0)
    const kubectl = await runProcess(lab.kubectl, ['get', 'ns', '-o', 'name'], laterStep(run))
    expect(kubectl).toMatchObject({ exitCode: 0, stderr: '' })

    const withoutClusterRole = await action({ 'role-to-assume': CI_ROLE })
    expect(withoutClusterRole.exitCode).toBe(0)
    const refused = await runProcess(lab.kubectl, ['get', 'ns'], laterStep(withoutClusterRole))
    expect(refused.exitCode).not.toBe(0)
    expect(refused.stderr).toMatch(/Unauthorized|must be logged in/)
  })

  test('refresh: a long-lived client re-runs the plugin when its token expires, and keeps working', async () => {
    const run = await action({ 'role-to-assume': DEPLOY_ROLE })
    expect(run.exitCode).toBe(0)
    // The same exec entry behind a wrapper that counts the calls and lets each token live 3 s
    // (AWS_CREDENTIAL_EXPIRATION caps a token's expiry), so client-go must ask again within seconds.
    const calls = path.join(files.dir, 'plugin-calls')
    const wrapper = path.join(files.dir, 'count-calls.mjs')
    await fs.writeFile(wrapper, WRAPPER)
    const kubeconfig = await readKubeconfig(run.outputs.kubeconfig ?? '')
    const exec = kubeconfig.users[0]?.user.exec
    if (exec === undefined) throw new Error('no exec entry')
    const [script = '', ...args] = exec.args
    const wrapped = path.join(files.dir, 'wrapped-kubeconfig')
    await fs.writeFile(
      wrapped,
      stringify({
        ...kubeconfig,
        users: [{ name: kubeconfig.users[0]?.name, user: { exec: { ...exec, args: [wrapper, ...args] } } }],
      }),
    )
    const proxyProcess = spawn(lab.kubectl, ['proxy', '--port=0', '--kubeconfig', wrapped], {
      env: laterStep(run, { PLUGIN_CALLS: calls, PLUGIN_SCRIPT: script }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const port = await new Promise<string>((resolve, reject) => {
        proxyProcess.stdout.on('data', (chunk: Buffer) => {
          const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(chunk.toString())
          if (match?.[1] !== undefined) resolve(match[1])
        })
        proxyProcess.on('exit', (code) => {
          reject(new Error(`kubectl proxy exited with ${String(code)}`))
        })
      })
      const statuses: number[] = []
      for (let i = 0; i < 3; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, 4000))
        statuses.push((await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default`)).status)
      }
      expect(statuses).toEqual([200, 200, 200])
      const callCount = (await fs.readFile(calls, 'utf8')).split('\n').filter((line) => line !== '').length
      expect(callCount).toBeGreaterThanOrEqual(3)
    } finally {
      proxyProcess.kill('SIGTERM')
    }
  })
})

const WRAPPER = `import { appendFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
appendFileSync(process.env.PLUGIN_CALLS, new Date().toISOString() + '\\n')
const env = { ...process.env, AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 3000).toISOString() }
const result = spawnSync(process.execPath, [process.env.PLUGIN_SCRIPT, ...process.argv.slice(2)], { stdio: 'inherit', env })
process.exit(result.status ?? 1)
`
