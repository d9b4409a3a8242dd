import { makeRunnerFiles, runAction, type ActionRun, type RunnerFiles } from '../fixtures/action-runner.js'
import {
  IS_PHASE_CALL,
  startFaultProxy,
  type Fault,
  type FaultProxy,
  type PhaseCall,
} from '../fixtures/fault-proxy.js'
import { createMotoCluster } from '../fixtures/kube-tools.js'
import { expectNoLeak, unpausedCommands } from '../fixtures/leak-scan.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'

/**
 * The bundled action, with its default budgets, against moto and the OIDC fixture behind a
 * fault-injecting proxy: for each fault, whether it is retried (the attempts that reached the wire),
 * that the step ends within its budget, and what it says. Silent and dripping endpoints, which need
 * the budgets themselves to pass, are in time-budgets.test.ts and helm-download-faults.test.ts.
 */
const REGION = 'eu-west-1'
const ROLE = 'arn:aws:iam::123456789012:role/deploy'
/** Phase auth's budget (30 s) plus a loaded machine's start-up: nothing here may take longer. */
const STEP_BOUND_MS = 40_000

const STS_THROTTLING = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`
const ECR_THROTTLING = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' })

/** Rewrites a field of upstream's answer into a hostile value. */
const hostile = (pattern: RegExp, replacement: string): Fault => ({
  kind: 'answer',
  rewrite: (answer) => ({
    ...answer,
    body: Buffer.from(answer.body.toString().replace(pattern, replacement)),
  }),
})

interface FaultCase {
  readonly name: string
  readonly target: PhaseCall
  readonly fault: Fault
  readonly times?: number
  readonly succeeds: boolean
  readonly attempts: number
  readonly message?: RegExp
}

const CASES: readonly FaultCase[] = [
  {
    name: 'STS HTTP 503, once',
    target: 'sts',
    fault: { kind: 'status', status: 503 },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'STS connection reset, once',
    target: 'sts',
    fault: { kind: 'reset' },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'STS truncated answer, once',
    target: 'sts',
    fault: { kind: 'truncate' },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'STS throttling, once',
    target: 'sts',
    fault: { kind: 'status', status: 400, body: STS_THROTTLING, type: 'text/xml' },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'STS HTTP 503, always',
    target: 'sts',
    fault: { kind: 'status', status: 503 },
    succeeds: false,
    attempts: 5,
    message:
      /Could not assume arn:aws:iam::123456789012:role\/deploy: STS kept failing, gave up after 5 attempts in \d+\.\d s/,
  },
  {
    name: 'STS garbage instead of XML',
    target: 'sts',
    fault: { kind: 'garbage' },
    succeeds: false,
    attempts: 1,
    message: /STS AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role\/deploy failed/,
  },
  {
    name: 'STS: an assumed-role ARN holding a workflow command',
    target: 'sts',
    fault: hostile(
      /<Arn>[^<]*<\/Arn>/,
      '<Arn>arn:aws:sts::123456789012:assumed-role/deploy/s\n::set-output name=aws-account-id::pwned</Arn>',
    ),
    succeeds: false,
    attempts: 1,
    message:
      /AssumedRoleUser\.Arn in STS AssumeRoleWithWebIdentity's answer is not an assumed-role ARN .*: 'arn:aws:sts::123456789012:assumed-role\/deploy\/s\\n::set-output name=aws-account-id::pwned'/,
  },
  {
    name: 'OIDC connection reset, once',
    target: 'oidc',
    fault: { kind: 'reset' },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'OIDC garbage instead of JSON',
    target: 'oidc',
    fault: { kind: 'garbage' },
    succeeds: false,
    attempts: 1,
    message: /The runner's ID token endpoint answered without a JWT in `value`\./,
  },
  {
    name: 'ECR HTTP 503, once',
    target: 'ecr',
    fault: { kind: 'status', status: 503 },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'ECR throttling, once',
    target: 'ecr',
    fault: { kind: 'status', status: 400, body: ECR_THROTTLING, type: 'application/x-amz-json-1.1' },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'ECR HTTP 500, always',
    target: 'ecr',
    fault: { kind: 'status', status: 500 },
    succeeds: false,
    attempts: 3,
    message: /ECR GetAuthorizationToken failed \(region eu-west-1\): .*HTTP 500/,
  },
  {
    name: 'ECR: a proxy endpoint holding a workflow command',
    target: 'ecr',
    fault: hostile(/"proxyEndpoint": ?"[^"]*"/, '"proxyEndpoint": "https://x.example\\n::warning::pwned"'),
    succeeds: false,
    attempts: 1,
    message: /ECR GetAuthorizationToken answered without a proxy endpoint/,
  },
  {
    name: 'EKS HTTP 503, once',
    target: 'eks',
    fault: { kind: 'status', status: 503 },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'EKS connection reset, once',
    target: 'eks',
    fault: { kind: 'reset' },
    times: 1,
    succeeds: true,
    attempts: 2,
  },
  {
    name: 'EKS: an endpoint holding a workflow command',
    target: 'eks',
    fault: hostile(/"endpoint": ?"[^"]*"/, '"endpoint": "https://x.example\\n::warning::pwned"'),
    succeeds: false,
    attempts: 1,
    message:
      /cluster\.endpoint in EKS DescribeCluster's answer is not an https:\/\/ URL of a host: 'https:\/\/x\.example\\n::warning::pwned'/,
  },
  {
    name: 'EKS: a version holding HTML',
    target: 'eks',
    fault: hostile(/"version": ?"[^"]*"/, '"version": "<img src=x onerror=alert(1)>"'),
    succeeds: false,
    attempts: 1,
    message: /cluster\.version in EKS DescribeCluster's answer is not a Kubernetes version/,
  },
]

describeWithMoto('faults of AWS and the OIDC endpoint, bundled action, default budgets', () => {
  let moto: MotoServer
  let oidc: OidcServer
  let aws: FaultProxy
  let idp: FaultProxy
  let files: RunnerFiles & { cleanup(): Promise<void> }

  beforeAll(async () => {
    ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
    ;[aws, idp] = await Promise.all([startFaultProxy(moto.url), startFaultProxy(oidc.issuer)])
    await createMotoCluster(moto.url, 'lab', REGION)
  })
  afterAll(async () => {
    await Promise.all([aws.stop(), idp.stop(), moto.stop(), oidc.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
  })
  afterEach(async () => {
    aws.clear()
    idp.clear()
    await files.cleanup()
  })

  /** Phase auth, then the phase the fault is aimed at (ECR and EKS sign with auth's credentials). */
  const inputsFor = (target: PhaseCall): Record<string, string> => ({
    'role-to-assume': ROLE,
    'aws-region': REGION,
    ...(target === 'ecr' ? { 'ecr-repository': 'shop/api' } : {}),
    ...(target === 'eks' ? { 'cluster-name': 'lab' } : {}),
    'export-credentials': 'false',
  })

  const AUTH_OUTPUTS = ['aws-account-id', 'aws-credentials-expiration', 'aws-session-arn']
  const OUTPUTS_BEFORE: Readonly<Record<PhaseCall, readonly string[]>> = {
    oidc: [],
    sts: [],
    ecr: AUTH_OUTPUTS,
    eks: AUTH_OUTPUTS,
  }

  async function run(target: PhaseCall): Promise<ActionRun> {
    return runAction({
      files,
      inputs: inputsFor(target),
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${idp.url}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
        AWS_ENDPOINT_URL: aws.url,
        RUNNER_DEBUG: '1',
      },
    })
  }

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const proxy = c.target === 'oidc' ? idp : aws
    proxy.inject(IS_PHASE_CALL[c.target], c.fault, c.times)
    const before = proxy.requests.length
    const issued = oidc.issued.length
    const result = await run(c.target)
    expect(result.exitCode).toBe(c.succeeds ? 0 : 1)
    expect(proxy.requests.slice(before).filter(IS_PHASE_CALL[c.target])).toHaveLength(c.attempts)
    expect(result.durationMs).toBeLessThan(STEP_BOUND_MS)
    if (c.message !== undefined) expect(result.stdout).toMatch(c.message)
    // A failed step reports only what finished before the fault: auth's outputs after an ECR or EKS fault.
    if (!c.succeeds) expect(Object.keys(result.outputs).sort()).toEqual(OUTPUTS_BEFORE[c.target])
    // Nothing an answer held became a workflow command, and no secret showed, debug logging on.
    expect(
      unpausedCommands(result.stdout).filter((line) => /^\s*::(set-output|warning::pwned)/.test(line)),
    ).toEqual([])
    expectNoLeak(result, [...new Set([oidc.requestToken, ...oidc.issued.slice(issued), ...result.masks])])
  })
})
