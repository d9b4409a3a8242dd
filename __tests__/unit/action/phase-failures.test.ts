import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runAction } from '../../../src/action/run.js'
import type { AwsClientFactory } from '../../../src/lib/aws-clients.js'
import { formatFailure } from '../../../src/lib/errors.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { ROOT } from '../../fixtures/action-runner.js'
import { answeringAws, answeringIdTokens, type AwsCall } from '../../fixtures/answering-aws.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'
import { mapReader } from '../../fixtures/parsed-inputs.js'

/** An error as the SDK throws an AWS answer. */
const awsError = (name: string, message: string, requestId: string): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId } })

const REPOSITORY_MISSING = (): Error =>
  awsError(
    'RepositoryNotFoundException',
    "The repository with name 'shop/api' does not exist in the registry with id '123456789012'",
    'ecr-1',
  )
const CLUSTER_MISSING = (): Error =>
  awsError('ResourceNotFoundException', 'No cluster found for name: prod.', 'eks-1')

/** answering-aws, but the calls named here fail as AWS would answer them. */
function failingAws(failures: Readonly<Record<string, () => Error>>): AwsClientFactory {
  const calls: AwsCall[] = []
  const answering = answeringAws(calls)
  type Sent = { constructor: { name: string } }
  const wrap =
    <Options>(make: (options: Options) => Promise<unknown>) =>
    async (options: Options): Promise<never> => {
      const client = (await make(options)) as { send(command: Sent): Promise<unknown> }
      const send = (command: Sent): Promise<unknown> => {
        const name = command.constructor.name
        if (name === 'ListClustersCommand') return Promise.resolve({ clusters: [] })
        const fail = failures[name]
        return fail === undefined ? client.send(command) : Promise.reject(fail())
      }
      return { ...client, send } as never
    }
  return {
    sts: (options) => answering.sts(options),
    ecr: wrap((options: Parameters<AwsClientFactory['ecr']>[0]) => answering.ecr(options)),
    eks: wrap((options: Parameters<AwsClientFactory['eks']>[0]) => answering.eks(options)),
    cloudwatch: (options) => answering.cloudwatch(options),
  }
}

let temp: string
beforeAll(async () => {
  temp = await fs.mkdtemp(path.join(os.tmpdir(), 'phase-failures-'))
  // The plan refuses a local chart that is not in the workspace.
  await fs.mkdir(path.join(temp, 'charts', 'api'), { recursive: true })
})
afterAll(async () => {
  await fs.rm(temp, { recursive: true, force: true })
})

/** A deploy with an image in ECR and a cluster, in eu-west-1, where AWS answers as `failures` say. */
async function runFailing(failures: Readonly<Record<string, () => Error>>) {
  const runtime = new FakeRuntime()
  const env = {
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: temp,
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/token?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-bearer',
  }
  const error: unknown = await runAction({
    runtime,
    readInput: mapReader({
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      'aws-region': 'eu-west-1',
      'ecr-repository': 'shop/api',
      'image-tag': 'v1',
      'cluster-name': 'prod',
      release: 'api',
      chart: './charts/api',
      'helm-version': 'system',
    }),
    context: readRunnerContext(env, { os: 'linux', arch: 'x64', tmpdir: temp }),
    clients: failingAws(failures),
    httpGet: answeringIdTokens([]),
    tokenPlugin: { nodePath: process.execPath, scriptPath: path.join(ROOT, 'dist', 'token', 'index.js') },
    readFile: () => Promise.reject(new Error('no event payload here')),
  }).then(
    () => new Error('the run did not fail'),
    (caught: unknown) => caught,
  )
  return { runtime, message: formatFailure(error) }
}

/** The summary's failure section: its heading and the message it shows. */
const failureSection = (summary: string): string =>
  /#### The step failed[^]*?\n```\n/.exec(summary)?.[0] ?? ''

describe('every failure names the phase whose message it shows', () => {
  test.each([
    [
      'only the cluster is missing',
      { DescribeClusterCommand: CLUSTER_MISSING },
      'kubeconfig',
      "EKS cluster 'prod' was not found in eu-west-1.",
    ],
    [
      'only the repository is missing',
      { DescribeImagesCommand: REPOSITORY_MISSING, DescribeRepositoriesCommand: REPOSITORY_MISSING },
      'image check',
      'The ECR repository does not exist (',
    ],
    [
      'the registry login is refused',
      { GetAuthorizationTokenCommand: () => awsError('AccessDeniedException', 'not allowed', 'ecr-2') },
      'ecr-login',
      'Not authorized to call ecr:GetAuthorizationToken',
    ],
  ])('%s: phase %s, with its own message', async (_case, failures, phase, text) => {
    const { runtime, message } = await runFailing(failures)
    expect(message).toContain(text)
    expect(message.endsWith(`\n\nFailed in phase ${phase}.`)).toBe(true)
    const section = failureSection(runtime.summary)
    expect(section).toMatch(new RegExp(`^#### The step failed in phase ${phase}\n`))
    expect(section).toContain(text)
    expect(section).not.toContain('side by side')
  })

  test('a cluster and a repository both missing: both errors, each with its phase, and the region hint', async () => {
    const { runtime, message } = await runFailing({
      DescribeClusterCommand: CLUSTER_MISSING,
      DescribeImagesCommand: REPOSITORY_MISSING,
      DescribeRepositoriesCommand: REPOSITORY_MISSING,
    })
    const lines = message.split('\n')
    expect(lines[0]).toBe('2 phases that ran side by side failed: image check and kubeconfig.')
    expect(lines).toContainEqual(
      expect.stringMatching(/^Phase image check: The ECR repository does not exist \(/),
    )
    expect(lines).toContain("Phase kubeconfig: EKS cluster 'prod' was not found in eu-west-1.")
    // Each phase's own hint stays with its error; the region hint comes last.
    expect(message).toContain("Check 'ecr-repository'")
    expect(message).toContain("Fix 'cluster-name', or set 'aws-region'")
    expect(lines.at(-1)).toMatch(
      /^Neither the EKS cluster 'prod' nor the ECR repository 'shop\/api' was found in eu-west-1: .*'aws-region' \(eu-west-1\) is usually not the region they live in\./,
    )
    const section = failureSection(runtime.summary)
    expect(section).toMatch(/^#### The step failed in phases image check and kubeconfig\n/)
    for (const line of lines) expect(section).toContain(line)
    // The timeline shows both phases failed.
    expect(runtime.summary).toMatch(/\| image check \| [^|]+ \| [^|]+ \| failed \|/)
    expect(runtime.summary).toMatch(/\| kubeconfig \| [^|]+ \| [^|]+ \| failed \|/)
  })

  test('two failures side by side that are not both "not found": both shown, no region hint', async () => {
    const { message } = await runFailing({
      DescribeClusterCommand: () => awsError('AccessDeniedException', 'no DescribeCluster', 'eks-2'),
      DescribeImagesCommand: REPOSITORY_MISSING,
      DescribeRepositoriesCommand: REPOSITORY_MISSING,
    })
    expect(message).toContain('Phase image check: The ECR repository does not exist')
    expect(message).toContain("Phase kubeconfig: EKS DescribeCluster for 'prod' in eu-west-1 failed")
    expect(message).not.toContain('Neither the EKS cluster')
  })
})
