import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  AccessDeniedException,
  DescribeClusterCommand,
  EKSClient,
  ListClustersCommand,
  ResourceNotFoundException,
  type Cluster,
} from '@aws-sdk/client-eks'
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { parse } from 'yaml'
import { decodeCredentialsFile } from '../../../../src/eks-token/credentials-file.js'
import { ActionError, formatFailure } from '../../../../src/lib/errors.js'
import {
  writeClusterKubeconfig,
  type KubeconfigDeps,
  type WriteKubeconfigParams,
} from '../../../../src/phases/kubeconfig/write.js'
import { decodeEksToken, isSignatureValid } from '../../../fixtures/eks-token-verify.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

const eksMock = mockClient(EKSClient)
const stsMock = mockClient(STSClient)

const CLUSTER: Cluster = {
  name: 'prod',
  arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
  version: '1.31',
  status: 'ACTIVE',
  endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthority: { data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' },
}
const FIRST = { accessKeyId: 'ASIAFIRST', secretAccessKey: 'first-secret', sessionToken: 'first-session' }
const CLUSTER_ROLE = 'arn:aws:iam::123456789012:role/eks-admin'

let temp: string
let runtime: FakeRuntime
let ambientCalls: number

beforeEach(async () => {
  eksMock.reset()
  stsMock.reset()
  temp = await fs.mkdtemp(path.join(os.tmpdir(), 'kubeconfig-phase-'))
  await fs.mkdir(path.join(temp, 'dist', 'token'), { recursive: true })
  await fs.writeFile(path.join(temp, 'dist', 'token', 'index.js'), '')
  runtime = new FakeRuntime()
  ambientCalls = 0
})
afterEach(async () => {
  await fs.rm(temp, { recursive: true, force: true })
})

function params(overrides: Partial<WriteKubeconfigParams> = {}): WriteKubeconfigParams {
  return {
    clusterName: 'prod',
    region: 'eu-west-1',
    auth: 'exec',
    clusterRoleArn: undefined,
    roleSessionName: 'gha-run',
    credentials: FIRST,
    stsEndpoint: 'https://sts.eu-west-1.amazonaws.com',
    runnerTemp: path.join(temp, 'runner-temp'),
    shouldExportCredentials: true,
    tokenPlugin: { nodePath: '/usr/bin/node', scriptPath: path.join(temp, 'dist', 'token', 'index.js') },
    ...overrides,
  }
}

function deps(): KubeconfigDeps {
  return {
    runtime,
    eks: new EKSClient({ region: 'eu-west-1', credentials: FIRST }),
    sts: () => Promise.resolve(new STSClient({ region: 'eu-west-1', credentials: FIRST })),
    resolveAmbientCredentials: () => {
      ambientCalls++
      return Promise.resolve({ accessKeyId: 'AKIAAMBIENT', secretAccessKey: 'ambient-secret' })
    },
  }
}

interface ExecUser {
  exec?: { command: string; args: string[] }
  token?: string
}
async function readUser(file: string): Promise<ExecUser> {
  const config = parse(await fs.readFile(file, 'utf8')) as { users: { user: ExecUser }[] }
  return config.users[0]?.user ?? {}
}
const mode = async (file: string): Promise<number> => (await fs.stat(file)).mode & 0o777

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}

describe('writeClusterKubeconfig', () => {
  test('exec: a 0600 kubeconfig in a 0700 directory under RUNNER_TEMP, and the cluster facts', async () => {
    eksMock.on(DescribeClusterCommand, { name: 'prod' }).resolves({ cluster: CLUSTER })
    const result = await writeClusterKubeconfig(params(), deps())
    expect(result).toEqual({
      path: expect.stringMatching(new RegExp(`^${temp}/runner-temp/eks-kubeconfig-[^/]+/kubeconfig$`)),
      clusterName: 'prod',
      endpoint: CLUSTER.endpoint,
      arn: CLUSTER.arn,
      version: '1.31',
      auth: 'exec',
      createdPaths: [path.dirname(result.path)],
    })
    expect(await mode(result.path)).toBe(0o600)
    expect(await mode(path.dirname(result.path))).toBe(0o700)
    expect(await readUser(result.path)).toEqual({
      exec: expect.objectContaining({
        command: '/usr/bin/node',
        args: [path.join(temp, 'dist/token/index.js'), '--cluster-name', 'prod', '--region', 'eu-west-1'],
      }),
    })
    const text = await fs.readFile(result.path, 'utf8')
    for (const secret of Object.values(FIRST)) expect(text).not.toContain(secret)
    expect(stsMock.calls()).toHaveLength(0)
    expect(ambientCalls).toBe(0)
  })

  test('token: a static token signed with the auth credentials, masked, for the STS endpoint in use', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: CLUSTER })
    const result = await writeClusterKubeconfig(
      params({ auth: 'token', stsEndpoint: 'http://127.0.0.1:5000' }),
      deps(),
    )
    const { token = '' } = await readUser(result.path)
    expect(runtime.secrets).toContain(token)
    const { url, params: query } = decodeEksToken(token)
    expect(url.origin).toBe('http://127.0.0.1:5000')
    expect(query.get('X-Amz-Date')).toBe('20231114T221320Z')
    expect(query.get('X-Amz-Credential')).toMatch(/^ASIAFIRST\//)
    expect(isSignatureValid(token, 'first-secret', 'prod')).toBe(true)
    expect(await mode(result.path)).toBe(0o600)
  })

  test('token with ambient credentials: resolves them from the SDK chain and masks them', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: CLUSTER })
    const result = await writeClusterKubeconfig(params({ auth: 'token', credentials: undefined }), deps())
    const { token = '' } = await readUser(result.path)
    expect(ambientCalls).toBe(1)
    expect(runtime.secrets).toEqual(expect.arrayContaining(['AKIAAMBIENT', 'ambient-secret', token]))
    expect(isSignatureValid(token, 'ambient-secret', 'prod')).toBe(true)
  })

  test('exec with ambient credentials resolves nothing: the plugin reads its own environment', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: CLUSTER })
    await writeClusterKubeconfig(params({ credentials: undefined }), deps())
    expect(ambientCalls).toBe(0)
  })
})

describe('cluster-role-arn', () => {
  const EXPIRATION = new Date('2023-11-14T23:13:20Z')
  beforeEach(() => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: CLUSTER })
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIACLUSTER',
        SecretAccessKey: 'cluster-secret',
        SessionToken: 'cluster-session',
        Expiration: EXPIRATION,
      },
      AssumedRoleUser: {
        Arn: 'arn:aws:sts::123456789012:assumed-role/eks-admin/gha-run',
        AssumedRoleId: 'x',
      },
    })
  })

  test('exec: assumes it (one hour, role chaining), masks it, hands it over in a 0600 file', async () => {
    const result = await writeClusterKubeconfig(params({ clusterRoleArn: CLUSTER_ROLE }), deps())
    expect(stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: CLUSTER_ROLE, RoleSessionName: 'gha-run', DurationSeconds: 3600 },
    ])
    expect(runtime.secrets).toEqual(
      expect.arrayContaining(['ASIACLUSTER', 'cluster-secret', 'cluster-session']),
    )
    const dir = path.dirname(result.path)
    const file = path.join(dir, 'cluster-role-credentials.json')
    expect(await mode(file)).toBe(0o600)
    expect(decodeCredentialsFile(await fs.readFile(file, 'utf8'))).toEqual({
      accessKeyId: 'ASIACLUSTER',
      secretAccessKey: 'cluster-secret',
      sessionToken: 'cluster-session',
      expiration: EXPIRATION,
    })
    expect((await readUser(result.path)).exec?.args.slice(-2)).toEqual(['--credentials-file', file])
    const kubeconfig = await fs.readFile(result.path, 'utf8')
    for (const secret of ['cluster-secret', 'cluster-session', 'first-secret']) {
      expect(kubeconfig).not.toContain(secret)
    }
    expect(result.createdPaths).toEqual([dir])
  })

  test('token: the static token is the cluster role, and no credentials file is written', async () => {
    const result = await writeClusterKubeconfig(
      params({ clusterRoleArn: CLUSTER_ROLE, auth: 'token' }),
      deps(),
    )
    const { token = '' } = await readUser(result.path)
    expect(isSignatureValid(token, 'cluster-secret', 'prod')).toBe(true)
    expect(await fs.readdir(path.dirname(result.path))).toEqual(['kubeconfig'])
  })

  test('AccessDenied: says which trust and permission are missing, keeps the AWS facts', async () => {
    stsMock.on(AssumeRoleCommand).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'User is not authorized to perform: sts:AssumeRole',
        $metadata: { httpStatusCode: 403, requestId: 'req-sts-1' },
      }),
    )
    const error = await failure(writeClusterKubeconfig(params({ clusterRoleArn: CLUSTER_ROLE }), deps()))
    const text = formatFailure(error)
    expect(text).toContain(
      `STS AssumeRole of cluster-role-arn ${CLUSTER_ROLE} failed: AccessDenied, HTTP 403, request id req-sts-1: User is not authorized`,
    )
    expect(error.hint).toContain(`sts:AssumeRole on ${CLUSTER_ROLE}`)
    expect(await fs.readdir(path.join(temp))).not.toContain('runner-temp')
  })
})

describe('DescribeCluster failures', () => {
  const notFound = (): ResourceNotFoundException =>
    new ResourceNotFoundException({
      message: 'No cluster found for name: prdo.',
      $metadata: { httpStatusCode: 404, requestId: 'req-eks-1' },
    })

  test('not found: lists the clusters the role sees and says how to fix region or name', async () => {
    eksMock.on(DescribeClusterCommand).rejects(notFound())
    eksMock.on(ListClustersCommand).resolves({ clusters: ['prod', 'staging'] })
    const error = await failure(writeClusterKubeconfig(params({ clusterName: 'prdo' }), deps()))
    expect(error.message).toBe("EKS cluster 'prdo' was not found in eu-west-1.")
    expect(error.hint).toContain('Clusters the role sees in eu-west-1: prod, staging.')
    expect(error.hint).toContain("Fix 'cluster-name', or set 'aws-region'")
    expect(formatFailure(error)).toContain('ResourceNotFoundException, HTTP 404, request id req-eks-1')
  })

  test('not found, no cluster at all in the region: points at the region', async () => {
    eksMock.on(DescribeClusterCommand).rejects(notFound())
    eksMock.on(ListClustersCommand).resolves({ clusters: [] })
    const error = await failure(writeClusterKubeconfig(params(), deps()))
    expect(error.hint).toContain('The role sees no EKS cluster in eu-west-1')
  })

  test('not found and ListClusters denied: says it could not list, still says how to fix', async () => {
    eksMock.on(DescribeClusterCommand).rejects(notFound())
    eksMock
      .on(ListClustersCommand)
      .rejects(
        new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403, requestId: 'r2' } }),
      )
    const error = await failure(writeClusterKubeconfig(params(), deps()))
    expect(error.hint).toContain('Could not list the clusters in eu-west-1: AccessDeniedException, HTTP 403')
    expect(error.hint).toContain("Fix 'cluster-name'")
  })

  test('access denied on DescribeCluster: names the permission', async () => {
    eksMock
      .on(DescribeClusterCommand)
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata: { httpStatusCode: 403 } }))
    const error = await failure(writeClusterKubeconfig(params(), deps()))
    expect(error.message).toContain('failed: AccessDeniedException, HTTP 403: not authorized')
    expect(error.hint).toContain('eks:DescribeCluster on arn:aws:eks:eu-west-1:<account>:cluster/prod')
  })

  test.each([
    ['CREATING', /still being created/],
    ['DELETING', /being deleted/],
    ['FAILED', /failed to create or update/],
    ['PENDING', /pending creation/],
  ])('status %s: fails with the status and what to do', async (status, hint) => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: { ...CLUSTER, status: status as 'ACTIVE' } })
    const error = await failure(writeClusterKubeconfig(params(), deps()))
    expect(error.message).toBe(
      `EKS cluster 'prod' in eu-west-1 is ${status}, not ACTIVE: its API server cannot take a deployment.`,
    )
    expect(error.hint).toMatch(hint)
    expect(await fs.readdir(temp)).toEqual(['dist'])
  })

  test('UPDATING is usable', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: { ...CLUSTER, status: 'UPDATING' } })
    await expect(writeClusterKubeconfig(params(), deps())).resolves.toMatchObject({ version: '1.31' })
  })

  test('the token plugin missing from dist/: a clear error, nothing written', async () => {
    eksMock.on(DescribeClusterCommand).resolves({ cluster: CLUSTER })
    const error = await failure(
      writeClusterKubeconfig(
        params({ tokenPlugin: { nodePath: '/usr/bin/node', scriptPath: path.join(temp, 'nope.js') } }),
        deps(),
      ),
    )
    expect(error.message).toContain('nope.js does not exist')
  })
})
