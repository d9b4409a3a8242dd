import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createAwsClientFactory } from '../../src/lib/aws-clients.js'
import type { AwsTimeouts } from '../../src/lib/aws-deadline.js'
import { formatFailure } from '../../src/lib/errors.js'
import { AccountHider } from '../../src/lib/masking.js'
import type { RetryPolicy } from '../../src/lib/retry.js'
import { assumeRoleWithOidc } from '../../src/phases/auth/assume-role.js'
import { run as runEcr } from '../../src/phases/ecr/index.js'
import { run as runKubeconfig } from '../../src/phases/kubeconfig/index.js'
import { httpGet } from '../../src/runner/http-get.js'
import {
  IS_PHASE_CALL,
  startFaultProxy,
  type Fault,
  type FaultProxy,
  type PhaseCall,
} from '../fixtures/fault-proxy.js'
import { createMotoCluster } from '../fixtures/kube-tools.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startOidcServer, type OidcServer } from '../fixtures/oidc-server.js'
import { phaseDeps } from '../fixtures/phase-deps.js'
import { RealClockRuntime } from '../fixtures/real-clock-runtime.js'
// Loaded up front: jest's ESM loader fails concurrent dynamic imports of modules sharing a dependency.
import '../../src/phases/ecr/login.js'
import '../../src/phases/ecr/image-check.js'

/**
 * A silent or dripping endpoint, and an answer slower than one attempt, against the real SDK and
 * HTTP stack with short injected budgets: each call ends within its budget, says which service did
 * not answer and for how long. Bounds are in terms of the budget; SLACK_MS is what a loaded machine
 * may add (a hang would overrun it by hours).
 *
 * Each case sets the timers so that only the one it is about can cut: the proxy runs in this process,
 * whose event loop a loaded machine can stall for longer than a short attempt timeout, and Node runs
 * an expired timer before it reads a byte that has already arrived. A silent endpoint is cut by the
 * attempt timeout, with room for retries (SILENT_*, also for the slow answer and its retry); a
 * dripping one only by the call's deadline (DRIP_*: the attempt timeout is longer than the call).
 */
const TIMEOUTS: AwsTimeouts = { connectMs: 1_000, attemptMs: 500, callMs: 2_000 }
const AUTH_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 100, budgetMs: 1_500 }
const SILENT_TIMEOUTS: AwsTimeouts = { ...TIMEOUTS, callMs: 5_000 }
const SILENT_POLICY: RetryPolicy = { ...AUTH_POLICY, budgetMs: 5_000 }
const DRIP_TIMEOUTS: AwsTimeouts = { ...TIMEOUTS, attemptMs: 60_000 }
const SLACK_MS = 3_000
const REGION = 'eu-west-1'
const ROLE = 'arn:aws:iam::123456789012:role/deploy'
const CREDENTIALS = { accessKeyId: 'AKIATIMEOUTS', secretAccessKey: 'timeouts-secret' }
const DRIP: Fault = { kind: 'drip', intervalMs: 100 }
const SILENT: Fault = { kind: 'silent' }

interface BudgetCase {
  readonly call: PhaseCall
  readonly fault: Fault
  /** The budget the call must end within. */
  readonly budgetMs: number
  /** It must not end before this: it really waited. */
  readonly atLeastMs: number
  readonly attempts: readonly [number, number]
  readonly message: RegExp
  /** The SDK clients' timeouts and the auth phase's retry policy (default TIMEOUTS, AUTH_POLICY). */
  readonly timeouts?: AwsTimeouts
  readonly policy?: RetryPolicy
}

const ENDPOINT = String.raw`\(http://127\.0\.0\.1:\d+\)`
const CASES: readonly BudgetCase[] = [
  {
    call: 'sts',
    fault: SILENT,
    budgetMs: SILENT_POLICY.budgetMs,
    atLeastMs: TIMEOUTS.attemptMs,
    attempts: [2, 5],
    timeouts: SILENT_TIMEOUTS,
    policy: SILENT_POLICY,
    message: new RegExp(
      `STS kept failing, gave up after \\d attempts in .*STS ${ENDPOINT} gave no complete answer within`,
    ),
  },
  {
    call: 'sts',
    fault: DRIP,
    budgetMs: AUTH_POLICY.budgetMs,
    atLeastMs: AUTH_POLICY.budgetMs - 100,
    attempts: [1, 1],
    timeouts: DRIP_TIMEOUTS,
    message: new RegExp(
      // Within what the ID token request left of the budget: most of it, unless the machine is slow.
      `gave up after 1 attempt in .*STS ${ENDPOINT} gave no complete answer within \\d\\.\\d s`,
    ),
  },
  ...[SILENT, DRIP].map((fault) => ({
    call: 'oidc' as const,
    fault,
    budgetMs: AUTH_POLICY.budgetMs,
    atLeastMs: AUTH_POLICY.budgetMs - 100,
    attempts: [1, 1] as const,
    message: new RegExp(
      `the runner's OIDC token endpoint \\(ACTIONS_ID_TOKEN_REQUEST_URL\\) kept failing, gave up after 1 attempt in .*the runner's OIDC token endpoint ${ENDPOINT} gave no complete answer within 1\\.5 s`,
    ),
  })),
  {
    call: 'ecr',
    fault: SILENT,
    budgetMs: SILENT_TIMEOUTS.callMs,
    atLeastMs: 2 * TIMEOUTS.attemptMs,
    attempts: [2, 3],
    timeouts: SILENT_TIMEOUTS,
    message: new RegExp(
      `ECR GetAuthorizationToken failed .*ECR ${ENDPOINT} gave no complete answer within \\d\\.\\d s( over \\d attempts)?`,
    ),
  },
  {
    call: 'ecr',
    fault: DRIP,
    budgetMs: TIMEOUTS.callMs,
    atLeastMs: TIMEOUTS.callMs - 100,
    attempts: [1, 1],
    timeouts: DRIP_TIMEOUTS,
    message: new RegExp(
      `ECR GetAuthorizationToken failed .*ECR ${ENDPOINT} gave no complete answer within 2\\.\\d s`,
    ),
  },
  {
    call: 'eks',
    fault: SILENT,
    budgetMs: SILENT_TIMEOUTS.callMs,
    atLeastMs: 2 * TIMEOUTS.attemptMs,
    attempts: [2, 3],
    timeouts: SILENT_TIMEOUTS,
    message: new RegExp(
      `EKS DescribeCluster for 'lab' in ${REGION} failed: .*EKS ${ENDPOINT} gave no complete answer within \\d\\.\\d s( over \\d attempts)?`,
    ),
  },
  {
    call: 'eks',
    fault: DRIP,
    budgetMs: TIMEOUTS.callMs,
    atLeastMs: TIMEOUTS.callMs - 100,
    attempts: [1, 1],
    timeouts: DRIP_TIMEOUTS,
    message: new RegExp(
      `EKS DescribeCluster for 'lab' in ${REGION} failed: .*EKS ${ENDPOINT} gave no complete answer within 2\\.\\d s`,
    ),
  },
]

describeWithMoto(
  'time budgets: a silent, dripping or slow endpoint cannot hold a phase past its budget',
  () => {
    let moto: MotoServer
    let oidc: OidcServer
    let aws: FaultProxy
    let idp: FaultProxy
    let temp: string
    const savedEndpoint = process.env.AWS_ENDPOINT_URL
    const clients = createAwsClientFactory(TIMEOUTS)

    beforeAll(async () => {
      ;[moto, oidc] = await Promise.all([startMoto(), startOidcServer()])
      ;[aws, idp] = await Promise.all([startFaultProxy(moto.url), startFaultProxy(oidc.issuer)])
      await createMotoCluster(moto.url, 'lab', REGION)
      process.env.AWS_ENDPOINT_URL = aws.url
      temp = await fs.mkdtemp(path.join(os.tmpdir(), 'time-budgets-'))
    })
    afterAll(async () => {
      if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL
      else process.env.AWS_ENDPOINT_URL = savedEndpoint
      await Promise.all([aws.stop(), idp.stop(), moto.stop(), oidc.stop()])
      await fs.rm(temp, { recursive: true, force: true })
    })
    afterEach(() => {
      aws.clear()
      idp.clear()
    })

    async function assume(runtime: RealClockRuntime, withClients = clients, policy = AUTH_POLICY) {
      return assumeRoleWithOidc(
        {
          region: REGION,
          roleArn: ROLE,
          audience: 'sts.amazonaws.com',
          sessionName: 'gha-time-budgets',
          durationSeconds: 3600,
          inlineSessionPolicy: undefined,
          managedSessionPolicies: [],
          allowedAccountIds: [],
          idTokenRequest: { url: `${idp.url}/token?api-version=2.0`, bearer: oidc.requestToken },
          isRoleChaining: false,
        },
        {
          runtime,
          sts: await withClients.sts({ region: REGION, maxAttempts: 1 }),
          httpGet,
          accounts: new AccountHider(false, runtime),
          retryPolicy: policy,
        },
      )
    }

    function runCall(call: PhaseCall, runtime: RealClockRuntime, c: BudgetCase): Promise<unknown> {
      const caseClients = c.timeouts === undefined ? clients : createAwsClientFactory(c.timeouts)
      const deps = phaseDeps(runtime, { clients: caseClients })
      const earlier = { credentials: CREDENTIALS }
      switch (call) {
        case 'oidc':
        case 'sts':
          return assume(runtime, caseClients, c.policy)
        case 'ecr':
          return runEcr(
            {
              region: REGION,
              location: { region: REGION, accountId: undefined, host: undefined },
              login: {
                registries: [],
                chartRegistries: [],
                runnerTemp: temp,
                baseConfigDir: undefined,
                shouldSkipLogout: false,
              },
              image: undefined,
            },
            deps,
            earlier,
          )
        case 'eks':
          return runKubeconfig(
            {
              clusterName: 'lab',
              region: REGION,
              auth: 'exec',
              clusterRoleArn: undefined,
              roleSessionName: 'gha-time-budgets',
              stsEndpoint: aws.url,
              runnerTemp: temp,
              shouldExportCredentials: true,
            },
            deps,
            earlier,
          )
      }
    }

    test.each(CASES.map((c) => [c.call, c.fault.kind, c] as const))(
      '%s, %s: ends within its budget and says which service did not answer for how long',
      async (call, _fault, c) => {
        const proxy = call === 'oidc' ? idp : aws
        proxy.inject(IS_PHASE_CALL[call], c.fault)
        const before = proxy.requests.length
        const started = Date.now()
        const error = await runCall(call, new RealClockRuntime(), c).then(
          () => undefined,
          (e: unknown) => e,
        )
        const elapsed = Date.now() - started
        expect(formatFailure(error)).toMatch(c.message)
        expect(elapsed).toBeGreaterThanOrEqual(c.atLeastMs)
        expect(elapsed).toBeLessThan(c.budgetMs + SLACK_MS)
        const attempts = proxy.requests.slice(before).filter(IS_PHASE_CALL[call]).length
        expect(attempts).toBeGreaterThanOrEqual(c.attempts[0])
        expect(attempts).toBeLessThanOrEqual(c.attempts[1])
      },
    )

    test('an answer slower than one attempt is cut, and the retry it makes room for succeeds', async () => {
      const retried = aws.nextRequest(IS_PHASE_CALL.sts).then(() => aws.nextRequest(IS_PHASE_CALL.sts))
      // The first answer is held until the second attempt arrives: the event is the retry, not a delay.
      aws.inject(IS_PHASE_CALL.sts, { kind: 'answer', rewrite: async (answer) => (await retried, answer) }, 1)
      const runtime = new RealClockRuntime()
      const result = await assume(runtime, createAwsClientFactory(SILENT_TIMEOUTS), SILENT_POLICY)
      expect(result.assumedRoleArn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/deploy\//)
      expect(runtime.logs.join('\n')).toMatch(
        /Attempt 1 failed \(TimeoutError: STS .* gave no complete answer/,
      )
    })
  },
)
