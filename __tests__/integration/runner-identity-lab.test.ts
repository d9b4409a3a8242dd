import { createHash, randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { expectNeverPrinted, runAction, type ActionRun } from '../fixtures/action-runner.js'
import {
  startContainerCredentials,
  startImds,
  type CredentialEndpoint,
  type ServedCredentials,
} from '../fixtures/credential-endpoints.js'
import { ACCOUNT, CHART, REGION, REPOSITORY, RUN_ID, useEksE2e } from '../fixtures/eks-e2e.js'
import { decodeEksToken, isSignatureValid } from '../fixtures/eks-token-verify.js'
import { readKubeconfig, runExecEntry, runProcess } from '../fixtures/kube-tools.js'
import {
  addAccessEntry,
  describeWithEksLab,
  findWebhookReview,
  readWebhookReviews,
  type EksLab,
} from '../fixtures/lab.js'
import { motoSession } from '../fixtures/moto-credentials.js'

// A self-hosted runner whose only AWS identity is its own: an EC2 instance profile (IMDSv2), EKS Pod
// Identity (container credentials) or IRSA (a web identity token file). No role-to-assume: the phases
// use the SDK's default chain, and so does the kubeconfig's token plugin under helm and in later steps.
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/runner-${name}-${RUN_ID}`
const IDENTITIES = ['instance-profile', 'pod-identity', 'irsa'] as const
type Identity = (typeof IDENTITIES)[number]

interface RunnerIdentity {
  /** What the runner's environment holds for the SDK to find the identity. */
  readonly env: Record<string, string>
  /** The credentials a stand-in serves; undefined for IRSA, whose session STS (moto) issues to each process. */
  readonly served: ServedCredentials | undefined
}

describeWithEksLab('self-hosted runners with their own AWS identity (bundled action, EKS lab)', (lab) => {
  const suite = useEksE2e(lab, {
    name: 'runner-identity',
    tags: ['0123456'],
    helmVersions: ['v4.1.4'],
    deployRole: role('unused'),
  })
  const identities = new Map<Identity, RunnerIdentity>()
  const endpoints: CredentialEndpoint[] = []
  const undo: (() => Promise<void>)[] = []

  beforeAll(async () => {
    const { moto, oidc, proxy } = suite.stack()
    for (const identity of IDENTITIES) {
      undo.push(
        await addAccessEntry(
          lab,
          role(identity),
          { username: identity, groups: ['system:masters'] },
          identity,
        ),
      )
    }
    // Ten minutes: shorter than an EKS token's 14, so the ExecCredential's expiry must be the credentials'.
    const instance = await motoSession(moto.url, role('instance-profile'), 10 * 60_000)
    const imds = await startImds(instance)
    const pod = await motoSession(moto.url, role('pod-identity'), 10 * 60_000)
    const podToken = randomBytes(16).toString('hex')
    const container = await startContainerCredentials(pod, podToken)
    endpoints.push(imds, container)
    const dir = await fs.mkdtemp(path.join(lab.state, 'runner-identity-'))
    undo.push(() => fs.rm(dir, { recursive: true, force: true }))
    // No trailing newline: Node refuses an Authorization header that holds one, as the SDK sends it.
    await fs.writeFile(path.join(dir, 'pod-token'), podToken)
    await fs.writeFile(path.join(dir, 'irsa-token'), await fetchJwt(oidc.requestUrl, oidc.requestToken))
    const endpointsEnv = { AWS_ENDPOINT_URL: proxy.url, AWS_ENDPOINT_URL_STS: proxy.url }
    identities.set('instance-profile', {
      env: { ...endpointsEnv, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
      served: instance,
    })
    identities.set('pod-identity', {
      env: {
        ...endpointsEnv,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${container.url}/v1/credentials`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: path.join(dir, 'pod-token'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      served: pod,
    })
    identities.set('irsa', {
      env: {
        ...endpointsEnv,
        AWS_ROLE_ARN: role('irsa'),
        AWS_WEB_IDENTITY_TOKEN_FILE: path.join(dir, 'irsa-token'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      served: undefined,
    })
  })
  afterAll(async () => {
    await Promise.all([...endpoints.map((endpoint) => endpoint.stop()), ...undo.map((remove) => remove())])
  })

  const deploy = (identity: Identity, runner: RunnerIdentity): Promise<ActionRun> => {
    const namespace = `rid-${RUN_ID}-${identity}`
    suite.namespaces.push(namespace)
    const stack = suite.stack()
    return runAction({
      files: suite.files(),
      inputs: {
        'aws-region': REGION,
        'ecr-repository': REPOSITORY,
        'image-tag': '0123456',
        'cluster-name': lab.clusterName,
        release: 'demo',
        chart: CHART,
        namespace,
        set: 'deployment.enabled=true\ndeployment.replicas=1',
        timeout: '30s',
        'helm-version': 'v4.1.4',
        'helm-mirror': stack.mirror.url,
      },
      env: { PATH: stack.binDir, RUNNER_TOOL_CACHE: stack.toolCache, ...runner.env },
    })
  }

  test.each(IDENTITIES)(
    '%s: the phases deploy, and a later step signs EKS tokens with exactly that identity',
    async (identity) => {
      const runner = identities.get(identity)
      if (runner === undefined) throw new Error(`no ${identity} runner`)
      const run = await deploy(identity, runner)
      expect(run.exitCode).toBe(0)
      expect(run.outputs).toMatchObject({ 'release-status': 'deployed', 'rolled-back': 'false' })
      expect(run.exportedEnv).not.toHaveProperty('AWS_ACCESS_KEY_ID')
      // helm's own token plugin found the identity: the webhook verified its tokens and mapped the role.
      const helmReviews = (await readWebhookReviews(lab)).filter((r) => r.principal_arn === role(identity))
      expect(helmReviews.length).toBeGreaterThan(0)
      for (const review of helmReviews)
        expect(review).toMatchObject({ authenticated: true, signature: 'verified' })
      if (runner.served !== undefined) {
        expectNeverPrinted(run, [runner.served.secretAccessKey, runner.served.sessionToken])
      }

      // A later step: the job's environment and what the action exported, nothing of its process.
      const later = {
        PATH: suite.stack().binDir,
        HOME: suite.files().home,
        ...runner.env,
        ...run.exportedEnv,
      }
      const kubeconfig = await readKubeconfig(run.exportedEnv.KUBECONFIG ?? '')
      const exec = kubeconfig.users[0]?.user.exec
      if (exec === undefined) throw new Error('the kubeconfig has no exec entry')
      const plugin = await runExecEntry(exec, later)
      expect([plugin.exitCode, plugin.stderr]).toEqual([0, ''])
      const token = plugin.credential?.status.token ?? ''
      const params = decodeEksToken(token).params
      if (runner.served !== undefined) {
        expect(params.get('X-Amz-Credential')).toMatch(new RegExp(`^${runner.served.accessKeyId}/`))
        expect(params.get('X-Amz-Security-Token')).toBe(runner.served.sessionToken)
        expect(isSignatureValid(token, runner.served.secretAccessKey, lab.clusterName)).toBe(true)
        expect(plugin.credential?.status.expirationTimestamp).toBe(
          runner.served.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        )
      }
      await expectAcceptedAs(lab, token, role(identity), suite.files().dir)
      const kubectl = await runProcess(lab.kubectl, ['get', 'ns', '-o', 'name'], later)
      expect([kubectl.exitCode, kubectl.stderr]).toEqual([0, ''])
    },
  )
})

/** The lab's webhook verified the token's signature against moto's records and mapped it to `roleArn`. */
async function expectAcceptedAs(lab: EksLab, token: string, roleArn: string, dir: string): Promise<void> {
  const caFile = path.join(dir, 'lab-ca.pem')
  const emptyKubeconfig = path.join(dir, 'empty-kubeconfig')
  await fs.writeFile(caFile, Buffer.from(lab.caData, 'base64'))
  await fs.writeFile(emptyKubeconfig, '')
  const args = [
    `--kubeconfig=${emptyKubeconfig}`,
    `--server=${lab.server}`,
    `--certificate-authority=${caFile}`,
  ]
  const kubectl = await runProcess(lab.kubectl, [...args, `--token=${token}`, 'get', 'ns', '-o', 'name'], {
    PATH: '/usr/bin:/bin',
    HOME: dir,
  })
  expect(kubectl.exitCode).toBe(0)
  const review = await findWebhookReview(lab, createHash('sha256').update(token).digest('hex'))
  expect(review).toMatchObject({ authenticated: true, signature: 'verified', principal_arn: roleArn })
}

/** A JWT from the OIDC fixture, as the projected service-account token of IRSA would hold one. */
async function fetchJwt(requestUrl: string, bearer: string): Promise<string> {
  const url = new URL(requestUrl)
  url.searchParams.set('audience', 'sts.amazonaws.com')
  const response = await fetch(url, { headers: { Authorization: `Bearer ${bearer}` } })
  return ((await response.json()) as { value: string }).value
}
