import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ECRClient } from '@aws-sdk/client-ecr'
import { decodeCredentialsFile } from '../../src/eks-token/credentials-file.js'
import {
  makeRunnerFiles,
  ROOT,
  runAction,
  runPost,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { expectedEcrLogin } from '../fixtures/ecr-images.js'
import { ACCOUNT, RUN_ID, useEksE2e } from '../fixtures/eks-e2e.js'
import { createMotoCluster, readKubeconfig } from '../fixtures/kube-tools.js'
import { describeWithEksLab } from '../fixtures/lab.js'
import { expectNoLeak } from '../fixtures/leak-scan.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'

/**
 * Every secret the action handles, under debug logging (ACTIONS_STEP_DEBUG, RUNNER_DEBUG): none
 * shows in stdout, stderr, the summary or the runner's files, plain, base64 or URL-encoded, and
 * each is masked before anything shows it. A table of scenarios: add a row for a new way to handle
 * a secret. The fault scenarios scan the same way (faults.test.ts).
 */
const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
const REGION = 'eu-west-1'
const ROLE = 'arn:aws:iam::123456789012:role/deploy'
/** What export-credentials hands to later steps: the one place credentials belong. */
const EXPORTED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']

interface Stack {
  readonly moto: MotoServer
  readonly oidc: OidcServer
  readonly ecr: ECRClient
}

interface SecretScenario {
  readonly name: string
  readonly inputs: Readonly<Record<string, string>>
  /** The secrets this run handled, known once it ran (besides the OIDC ones and its masks). */
  readonly secrets: (run: ActionRun, stack: Stack) => Promise<string[]>
}

const credentialsOf = (run: ActionRun): string[] => EXPORTED.map((name) => run.exportedEnv[name] ?? '')

async function staticTokenOf(run: ActionRun): Promise<string> {
  const kubeconfig = await readKubeconfig(run.outputs.kubeconfig ?? '')
  return kubeconfig.users[0]?.user.token ?? ''
}

async function clusterRoleCredentialsOf(run: ActionRun): Promise<string[]> {
  const file = path.join(path.dirname(run.outputs.kubeconfig ?? ''), 'cluster-role-credentials.json')
  const credentials = decodeCredentialsFile(await fs.readFile(file, 'utf8'))
  return [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? '']
}

const AUTH = { 'role-to-assume': ROLE, 'aws-region': REGION }

const SCENARIOS: readonly SecretScenario[] = [
  { name: 'auth, credentials exported', inputs: AUTH, secrets: (run) => Promise.resolve(credentialsOf(run)) },
  {
    name: 'auth and ecr-login: the registry token and password',
    inputs: { ...AUTH, 'ecr-repository': 'shop/api' },
    secrets: async (run, stack) => {
      const { token, password } = await expectedEcrLogin(stack.ecr)
      return [...credentialsOf(run), token, password]
    },
  },
  {
    name: 'kubeconfig-auth: token: the static EKS token',
    inputs: { ...AUTH, 'cluster-name': 'lab', 'kubeconfig-auth': 'token' },
    secrets: async (run) => [...credentialsOf(run), await staticTokenOf(run)],
  },
  {
    name: "cluster-role-arn: the second role's credentials",
    inputs: {
      ...AUTH,
      'cluster-name': 'lab',
      'cluster-role-arn': 'arn:aws:iam::123456789012:role/eks-admin',
    },
    secrets: async (run) => [...credentialsOf(run), ...(await clusterRoleCredentialsOf(run))],
  },
]

describeWithMoto('secrets under debug logging: auth, ecr-login, kubeconfig (bundled action)', () => {
  let stack: Stack
  let files: RunnerFiles & { cleanup(): Promise<void> }

  beforeAll(async () => {
    const [moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    const ecr = new ECRClient({
      region: REGION,
      endpoint: moto.url,
      credentials: { accessKeyId: 'AKIASECRETSSETUP', secretAccessKey: 'secrets-setup' },
    })
    stack = { moto, oidc, ecr }
    await createMotoCluster(moto.url, 'lab', REGION)
  })
  afterAll(async () => {
    stack.ecr.destroy()
    await Promise.all([stack.moto.stop(), stack.oidc.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    await files.cleanup()
  })

  test.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const issued = stack.oidc.issued.length
    const env = {
      ...DEBUG,
      ACTIONS_ID_TOKEN_REQUEST_URL: stack.oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: stack.oidc.requestToken,
      AWS_ENDPOINT_URL: stack.moto.url,
    }
    const run = await runAction({ files, inputs: scenario.inputs, env })
    expect(run.exitCode).toBe(0)
    const secrets = [
      stack.oidc.requestToken,
      ...stack.oidc.issued.slice(issued),
      ...(await scenario.secrets(run, stack)),
    ]
    // Each secret the action handled was masked, and shows nowhere.
    expect(run.masks).toEqual(expect.arrayContaining(secrets))
    expectNoLeak(run, secrets, EXPORTED)
    const post = await runPost({ files, state: run.state, env: DEBUG })
    expect(post.exitCode).toBe(0)
    expectNoLeak(post, secrets)
  })
})

describeWithEksLab(
  'secrets under debug logging: a deploy with a set-string secret (bundled action)',
  (lab) => {
    const deployRole = `arn:aws:iam::${ACCOUNT}:role/secrets-${RUN_ID}`
    const suite = useEksE2e(lab, {
      name: 'secrets',
      tags: ['0123456'],
      helmVersions: ['v4.1.4'],
      deployRole,
    })
    const namespace = `secrets-${RUN_ID}`
    suite.namespaces.push(namespace)

    /** The secret-echo chart, its Secret holding the set-string password. */
    const deploySecret = (
      ns: string,
      password: string,
      extra: Record<string, string> = {},
    ): Promise<ActionRun> =>
      suite.deploy({
        helm: 'v4.1.4',
        namespace: ns,
        role: deployRole,
        inputs: {
          chart: path.join(ROOT, '__tests__', 'fixtures', 'charts', 'secret-echo'),
          'set-string': `password=${password}`,
          ...extra,
        },
        env: DEBUG,
      })

    /** The secrets of a deploy run besides its passwords: ECR's, the OIDC ones issued since, the credentials. */
    async function secretsOf(run: ActionRun, issuedBefore: number): Promise<string[]> {
      const { token, password } = await expectedEcrLogin(suite.stack().ecr)
      const { oidc } = suite.stack()
      return [token, password, oidc.requestToken, ...oidc.issued.slice(issuedBefore), ...credentialsOf(run)]
    }

    test("the value passed with set-string, which becomes the release's Secret data", async () => {
      const password = `db-password-${RUN_ID}-${'x'.repeat(12)}`
      const issued = suite.stack().oidc.issued.length
      const run = await deploySecret(namespace, password)
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain('--set-string password=<hidden>')
      expectNoLeak(run, [password, ...(await secretsOf(run, issued))], EXPORTED)
      expect(`${run.stdout}${run.stderr}`).not.toContain('k8s-aws-v1.')
    })

    test('a dry run that rotates it: neither the deployed value nor the new one shows in what would change', async () => {
      const dryNamespace = `secrets-dry-${RUN_ID}`
      suite.namespaces.push(dryNamespace)
      const deployed = `deployed-password-${RUN_ID}-${'y'.repeat(8)}`
      const rotated = `rotated-password-${RUN_ID}-${'z'.repeat(8)}`
      expect((await deploySecret(dryNamespace, deployed)).exitCode).toBe(0)
      const issued = suite.stack().oidc.issued.length
      const run = await deploySecret(dryNamespace, rotated, { 'dry-run': 'true' })
      expect(run.exitCode).toBe(0)
      // The Secret is listed as changed (its key, never a value) in the output, the log and the summary.
      expect(JSON.parse(run.outputs.changes ?? '[]')).toContainEqual(
        expect.objectContaining({ kind: 'Secret', name: 'demo-credentials', change: 'changed' }),
      )
      expect(run.summary).toContain('password')
      expectNoLeak(run, [deployed, rotated, ...(await secretsOf(run, issued))], EXPORTED)
    })

    test('a dry run with values-file and set secrets rendered into a ConfigMap and an env var: no form of them shows', async () => {
      const ns = `secrets-supplied-${RUN_ID}`
      suite.namespaces.push(ns)
      const chart = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'supplied-echo')
      const deploySupplied = async (password: string, apiKey: string, extra: Record<string, string> = {}) => {
        await fs.writeFile(
          path.join(suite.files().dir, 'supplied.yaml'),
          `db:\n  password: ${JSON.stringify(password)}\n`,
        )
        return suite.deploy({
          helm: 'v4.1.4',
          namespace: ns,
          role: deployRole,
          inputs: {
            chart,
            'values-files': path.join(suite.files().dir, 'supplied.yaml'),
            set: `apiKey=${apiKey}`,
            ...extra,
          },
          env: DEBUG,
        })
      }
      const deployed = { password: `values-file-pw/${RUN_ID}+old`, apiKey: `set-api-key-${RUN_ID}-old` }
      const rotated = { password: `values-file-pw/${RUN_ID}+new`, apiKey: `set-api-key-${RUN_ID}-new` }
      const first = await deploySupplied(deployed.password, deployed.apiKey)
      expect(first.exitCode).toBe(0)
      const issued = suite.stack().oidc.issued.length
      const run = await deploySupplied(rotated.password, rotated.apiKey, { 'dry-run': 'true' })
      expect(run.exitCode).toBe(0)
      // The change still shows: the ConfigMap and the Deployment, with fingerprints in the diff.
      const changes = JSON.parse(run.outputs.changes ?? '[]') as { kind: string; change: string }[]
      expect(changes.map((c) => `${c.kind} ${c.change}`).sort()).toEqual([
        'ConfigMap changed',
        'Deployment changed',
      ])
      expect(run.summary).toContain('redacted:')
      const supplied = [deployed.password, deployed.apiKey, rotated.password, rotated.apiKey]
      expectNoLeak(run, [...supplied, ...(await secretsOf(run, issued))], EXPORTED)
      // Helm's urlquery encodes / and + as %2F and %2B, as encodeURIComponent does: covered by leakForms.
      for (const secret of supplied)
        expect(`${run.stdout}${run.summary}`).not.toContain(
          Buffer.from(secret).toString('base64').replace(/=+$/, ''),
        )
    })
  },
)
