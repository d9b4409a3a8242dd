import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { encodeCredentialsFile } from '../../../src/eks-token/credentials-file.js'
import { helmGate } from '../../../src/helm/gate.js'
import { parseTokenArgs, runTokenPlugin, type TokenPluginIo } from '../../../src/eks-token/plugin.js'
import { decodeEksToken, isSignatureValid } from '../../fixtures/eks-token-verify.js'

const NOW = new Date('2025-06-07T08:09:10.500Z')
const ENV_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAENVKEY',
  AWS_SECRET_ACCESS_KEY: 'env-secret',
  AWS_SESSION_TOKEN: 'env-session',
}
const FILE_CREDENTIALS = {
  accessKeyId: 'ASIAFILEKEY',
  secretAccessKey: 'file-secret',
  sessionToken: 'file-session',
  expiration: new Date('2025-06-07T09:00:00Z'),
}

const AMBIENT_CREDENTIALS = {
  accessKeyId: 'ASIAAMBIENTKEY',
  secretAccessKey: 'ambient-secret',
  sessionToken: 'ambient-session',
  expiration: new Date('2025-06-07T08:19:10Z'),
}

interface Run {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  readonly filesRead: string[]
  /** The regions the ambient chain was asked for (empty: it was never loaded). */
  readonly ambientAsked: string[]
}

/** The runner's own identity: credentials, or the chain's failure. */
type Ambient = typeof AMBIENT_CREDENTIALS | Error

async function run(
  args: string[],
  env: Record<string, string>,
  files: Record<string, string> = {},
  ambient: Ambient = new Error('the chain is not expected here'),
): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const filesRead: string[] = []
  const ambientAsked: string[] = []
  const io: TokenPluginIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    now: () => NOW,
    readFile: (file) => {
      filesRead.push(file)
      const content = files[file]
      if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${file}'`)
      return content
    },
    ambientCredentials: (region) => {
      ambientAsked.push(region)
      return ambient instanceof Error ? Promise.reject(ambient) : Promise.resolve(ambient)
    },
  }
  const exitCode = await runTokenPlugin(args, env, io)
  return { exitCode, stdout, stderr, filesRead, ambientAsked }
}

interface ExecCredential {
  kind: string
  apiVersion: string
  spec: object
  status: { token: string; expirationTimestamp: string }
}

const parse = (text: string): ExecCredential => JSON.parse(text) as ExecCredential

describe('runTokenPlugin', () => {
  test('credentials from the environment: an ExecCredential with a token signed by them', async () => {
    const result = await run(['--cluster-name', 'prod', '--region', 'eu-west-1'], ENV_CREDENTIALS)
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout.endsWith('}\n')).toBe(true)
    const credential = parse(result.stdout)
    expect(credential).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { token: expect.stringMatching(/^k8s-aws-v1\./), expirationTimestamp: '2025-06-07T08:23:10Z' },
    })
    const { url, params } = decodeEksToken(credential.status.token)
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com')
    expect(params.get('X-Amz-Credential')).toBe('ASIAENVKEY/20250607/eu-west-1/sts/aws4_request')
    expect(params.get('X-Amz-Security-Token')).toBe('env-session')
    expect(isSignatureValid(credential.status.token, 'env-secret', 'prod')).toBe(true)
  })

  test.each([
    ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1'],
    ['client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1beta1'],
  ])('echoes the apiVersion client-go asks for in KUBERNETES_EXEC_INFO (%s)', async (asked, answered) => {
    const info = JSON.stringify({ kind: 'ExecCredential', apiVersion: asked, spec: { interactive: false } })
    const result = await run(['--cluster-name=c', '--region=us-east-1'], {
      ...ENV_CREDENTIALS,
      KUBERNETES_EXEC_INFO: info,
    })
    expect(parse(result.stdout).apiVersion).toBe(answered)
  })

  test.each([['not json'], ['{}'], ['{"apiVersion": 3}']])(
    'falls back to v1beta1 when KUBERNETES_EXEC_INFO is %s',
    async (info) => {
      const result = await run(['--cluster-name', 'c', '--region', 'us-east-1'], {
        ...ENV_CREDENTIALS,
        KUBERNETES_EXEC_INFO: info,
      })
      expect(parse(result.stdout).apiVersion).toBe('client.authentication.k8s.io/v1beta1')
    },
  )

  test('names the STS endpoint of AWS_ENDPOINT_URL_STS', async () => {
    const result = await run(['--cluster-name', 'lab', '--region', 'us-east-1'], {
      ...ENV_CREDENTIALS,
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000',
    })
    expect(decodeEksToken(parse(result.stdout).status.token).url.origin).toBe('http://127.0.0.1:5000')
  })

  test('without a session token, the token carries none', async () => {
    const result = await run(['--cluster-name', 'c', '--region', 'us-east-1'], {
      AWS_ACCESS_KEY_ID: 'AKIAUSER',
      AWS_SECRET_ACCESS_KEY: 'user-secret',
      AWS_SESSION_TOKEN: '',
    })
    const { params } = decodeEksToken(parse(result.stdout).status.token)
    expect(params.has('X-Amz-Security-Token')).toBe(false)
  })

  test('--credentials-file: signs with the file, not with the environment', async () => {
    const file = '/runner/tmp/eks-kubeconfig-x/cluster-role-credentials.json'
    const result = await run(
      ['--cluster-name', 'prod', '--region', 'eu-west-1', '--credentials-file', file],
      ENV_CREDENTIALS,
      { [file]: encodeCredentialsFile(FILE_CREDENTIALS) },
    )
    expect(result.exitCode).toBe(0)
    expect(result.filesRead).toEqual([file])
    const { token } = parse(result.stdout).status
    expect(decodeEksToken(token).params.get('X-Amz-Security-Token')).toBe('file-session')
    expect(isSignatureValid(token, 'file-secret', 'prod')).toBe(true)
  })

  test('a token never outlives its credentials: expiry is the earlier of the two', async () => {
    const soon = new Date(NOW.getTime() + 5 * 60_000)
    const result = await run(['--cluster-name', 'c', '--region', 'us-east-1'], {
      ...ENV_CREDENTIALS,
      AWS_CREDENTIAL_EXPIRATION: soon.toISOString(),
    })
    expect(parse(result.stdout).status.expirationTimestamp).toBe('2025-06-07T08:14:10Z')
  })

  test("no keys in the environment: the runner's own identity signs, and its expiry caps the token", async () => {
    const result = await run(['--cluster-name', 'prod', '--region', 'eu-west-1'], {}, {}, AMBIENT_CREDENTIALS)
    expect(result).toMatchObject({ exitCode: 0, stderr: '', ambientAsked: ['eu-west-1'] })
    const { token, expirationTimestamp } = parse(result.stdout).status
    expect(decodeEksToken(token).params.get('X-Amz-Security-Token')).toBe('ambient-session')
    expect(isSignatureValid(token, 'ambient-secret', 'prod')).toBe(true)
    expect(expirationTimestamp).toBe('2025-06-07T08:19:10Z')
  })

  test("keys in the environment win over the runner's own identity, which is then never loaded", async () => {
    const env = { ...ENV_CREDENTIALS, AWS_PROFILE: 'runner', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' }
    const result = await run(['--cluster-name', 'c', '--region', 'us-east-1'], env, {}, AMBIENT_CREDENTIALS)
    expect(result.ambientAsked).toEqual([])
    expect(isSignatureValid(parse(result.stdout).status.token, 'env-secret', 'c')).toBe(true)
  })

  test('the chain finds nothing: exit 1, and its reasons in the message', async () => {
    const failure = new Error(
      "the AWS SDK's default credential chain found no credentials (Unable to find environment variable credentials. EC2 Instance Metadata Service access disabled)",
    )
    const result = await run(['--cluster-name', 'c', '--region', 'us-east-1'], {}, {}, failure)
    expect(result).toMatchObject({ exitCode: 1, stdout: '', ambientAsked: ['us-east-1'] })
    expect(result.stderr).toMatch(
      /^eks-deploy-action token plugin: no AWS credentials to sign the EKS token with: /,
    )
    expect(result.stderr).toContain('EC2 Instance Metadata Service access disabled')
    expect(result.stderr).toMatch(/IRSA, EKS Pod Identity, an EC2 instance profile/)
  })

  test.each([
    [
      'no secret key and no ambient identity',
      { AWS_ACCESS_KEY_ID: 'AKIA' },
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    ],
    [
      'expired credentials',
      { ...ENV_CREDENTIALS, AWS_CREDENTIAL_EXPIRATION: '2025-06-07T08:00:00Z' },
      /credentials in the environment \(AWS_CREDENTIAL_EXPIRATION\) expired at 2025-06-07T08:00:00Z: their session has ended/,
    ],
    [
      'a secret key of only whitespace',
      { ...ENV_CREDENTIALS, AWS_SECRET_ACCESS_KEY: ' \n' },
      /^eks-deploy-action token plugin: AWS_SECRET_ACCESS_KEY is set to only whitespace .*could not be verified/,
    ],
    [
      'a key id and session token of only whitespace',
      { ...ENV_CREDENTIALS, AWS_ACCESS_KEY_ID: '\t', AWS_SESSION_TOKEN: '  ' },
      /AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN are set to only whitespace/,
    ],
    [
      'a secret key of only whitespace and no key id (the SDK would sign with it)',
      { AWS_SECRET_ACCESS_KEY: '   ' },
      /AWS_SECRET_ACCESS_KEY is set to only whitespace/,
    ],
  ])('%s: exit 1 and a clear message on stderr, nothing on stdout', async (_name, env, message) => {
    const result = await run(['--cluster-name', 'c', '--region', 'us-east-1'], env, {}, new Error('none'))
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^eks-deploy-action token plugin: /)
    expect(result.stderr).toMatch(message)
  })

  test.each([
    ['missing', {}, /cannot read the credentials file \/f \(ENOENT/],
    ['not JSON', { '/f': 'x' }, /the credentials file \/f is not JSON/],
    ['without keys', { '/f': '{"Version":1}' }, /lacks Version 1, AccessKeyId or SecretAccessKey/],
    [
      'with a blank secret key',
      { '/f': '{"Version":1,"AccessKeyId":"ASIA","SecretAccessKey":" "}' },
      /the credentials file \/f has an AccessKeyId or SecretAccessKey of only whitespace/,
    ],
    [
      'expired',
      { '/f': encodeCredentialsFile({ ...FILE_CREDENTIALS, expiration: new Date('2025-06-07T08:09:10Z') }) },
      /credentials in \/f expired at 2025-06-07T08:09:10Z/,
    ],
  ])('a credentials file %s: exit 1, says so', async (_name, files, message) => {
    const result = await run(
      ['--cluster-name', 'c', '--region', 'us-east-1', '--credentials-file', '/f'],
      ENV_CREDENTIALS,
      files,
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toContain('file-secret')
  })
})

describe('runTokenPlugin under a helm started ahead of the pre-flight', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'plugin-gate-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('answers helm only once the step opens the gate', async () => {
    const gate = helmGate(dir)
    const running = run(['--cluster-name', 'prod', '--region', 'eu-west-1'], {
      ...ENV_CREDENTIALS,
      ...gate.env,
    })
    // The plugin has made its token and waits: nothing on stdout until the step lets helm through.
    while ((await gate.askedAt()) === undefined) await new Promise((resolve) => setTimeout(resolve, 10))
    await gate.open()
    const result = await running
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(parse(result.stdout).status.token).toMatch(/^k8s-aws-v1\./)
  })

  test('refused: exit 1 with the reason and no credential, so helm sends no request', async () => {
    const gate = helmGate(dir)
    const running = run(['--cluster-name', 'prod', '--region', 'eu-west-1'], {
      ...ENV_CREDENTIALS,
      ...gate.env,
    })
    await gate.refuse("the pre-flight's findings changed its command")
    const result = await running
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(
      "eks-deploy-action token plugin: the deploy step started helm ahead of its pre-flight and stopped it: the pre-flight's findings changed its command\n",
    )
  })
})

describe('parseTokenArgs', () => {
  test.each([
    [['--cluster-name', 'a', '--region', 'r-1'], {}, { clusterName: 'a', region: 'r-1' }],
    [['--cluster-name=a', '--region=r-1'], {}, { clusterName: 'a', region: 'r-1' }],
    [['--cluster-name', 'a'], { AWS_REGION: 'r-2' }, { clusterName: 'a', region: 'r-2' }],
    [['--cluster-name', 'a'], { AWS_DEFAULT_REGION: 'r-3' }, { clusterName: 'a', region: 'r-3' }],
    [
      ['--region', 'r-1', '--cluster-name', 'a', '--credentials-file', '/tmp/c.json'],
      {},
      { clusterName: 'a', region: 'r-1', credentialsFile: '/tmp/c.json' },
    ],
  ])('%j with %j', (args, env, expected) => {
    expect(parseTokenArgs(args, env)).toEqual({ credentialsFile: undefined, ...expected })
  })

  test.each([
    [['--region', 'r-1'], /--cluster-name and --region are required/],
    [['--cluster-name', 'a'], /--cluster-name and --region are required/],
    [['--cluster-name'], /unexpected argument '--cluster-name' \(no value\)/],
    [['--cluster-name='], /unexpected argument '--cluster-name='/],
    [['--cluster-name', '--region', 'r-1'], /unexpected argument '--cluster-name' \(no value\)/],
    [['--cluster-name', 'a', '--role', 'x'], /unexpected argument '--role'.*usage:/],
    [['prod'], /unexpected argument 'prod'/],
  ])('%j fails: %s', (args, message) => {
    expect(() => parseTokenArgs(args, {})).toThrow(message)
  })
})
