import type { AwsClientFactory } from './aws-clients.js'
import { parseInputs, type Inputs } from './inputs.js'
import type { ReadInput } from './input-readers.js'
import { publishResults, type RunResults } from './outputs.js'
import { planPhases, type Plan } from './plan.js'
import { preloadPhases } from './preload-phases.js'
import type { RunnerContext } from './runner-context.js'
import type { Runtime } from './runtime.js'
import { PhaseTimer } from './phase-timer.js'
import { readImageTag, runEcrPhases } from './ecr-phases.js'
import type { AuthResult } from './phases/auth.js'
import { CleanupRecorder } from './cleanup-recorder.js'
import type { TokenPluginCommand } from './kubeconfig.js'
import { requestIdTokenEarly } from './oidc.js'
import { runKubeconfig } from './run-kubeconfig.js'
import type { DeployResult } from './phases/deploy.js'
import { buildSigningEnv } from './child-env.js'
import type { EcrResult } from './ecr-result.js'
import type { KubeconfigResult } from './phases/kubeconfig.js'

export interface MainDeps {
  readonly runtime: Runtime
  readonly readInput: ReadInput
  readonly context: RunnerContext
  readonly clients: AwsClientFactory
  readonly fetch: typeof fetch
  /** How a kubeconfig starts this action's token plugin (node + dist/token/index.js). */
  readonly tokenPlugin: TokenPluginCommand
  /** Reads a file the runner wrote (the event payload at GITHUB_EVENT_PATH). */
  readonly readFile: (path: string) => Promise<string>
}

/**
 * The whole action: inputs → plan → auth → (ecr-login ‖ kubeconfig ‖ image check) → deploy → outputs.
 * Phase modules are imported only when their phase runs, so bad inputs fail before the SDK loads;
 * those after auth start loading while auth waits for the network.
 */
export async function run(deps: MainDeps): Promise<void> {
  const inputs = parseInputs(deps.readInput, deps.context)
  const plan = planPhases(inputs)
  const timer = new PhaseTimer(deps.runtime)
  const cleanup = new CleanupRecorder(deps.runtime)
  const imageTag = await readImageTag(inputs, plan, deps.readFile, deps.runtime)

  const auth = plan.auth ? await timer.time('auth', () => runAuth(inputs, deps, plan)) : undefined

  // After auth, the independent AWS calls run concurrently. Each phase records what it created
  // for the post step as soon as it returns, even when a sibling fails.
  const credentials = auth?.credentials
  const [ecr, kubeconfig] = await Promise.all([
    runEcrPhases(inputs, plan, imageTag, { ...deps, credentials, timer, cleanup }),
    plan.kubeconfig ? timer.time('kubeconfig', () => runKubeconfig(inputs, auth, deps, cleanup)) : undefined,
  ])

  const deploy = plan.deploy
    ? await timer.time('deploy', () => runDeploy(inputs, deps, { auth, ecr, kubeconfig }))
    : undefined

  const results: RunResults = { inputs, plan, auth, ecr, kubeconfig, deploy, timings: timer.timings }
  await publishResults(results, deps.runtime)
  // A failed helm upgrade still reports the release (revision, rolled-back) before failing the step.
  if (deploy?.failure !== undefined) throw deploy.failure
}

async function runAuth(inputs: Inputs, deps: MainDeps, plan: Plan): Promise<AuthResult> {
  // The ID token request needs no SDK: it goes out first, and the SDK loads while it is in flight.
  const firstIdToken = requestIdTokenEarly(inputs.context, inputs.auth.audience, deps)
  const { assumeRoleWithOidc, accountIdOfRole } = await import('./phases/auth.js')
  const roleArn = inputs.auth.roleToAssume ?? ''
  // The group title shows the role ARN, so its account is masked before the title is printed.
  if (inputs.auth.shouldMaskAccountId) deps.runtime.setSecret(accountIdOfRole(roleArn))
  return deps.runtime.group(`Assume ${roleArn} with GitHub OIDC`, async () => {
    const sts = await deps.clients.sts({ region: inputs.region, maxAttempts: 1 })
    // The STS request goes out next: the later phases' modules load while it is in flight.
    preloadPhases(plan)
    const result = await assumeRoleWithOidc(
      {
        roleArn,
        audience: inputs.auth.audience,
        sessionName: inputs.auth.roleSessionName,
        durationSeconds: inputs.auth.roleDurationSeconds,
        inlineSessionPolicy: inputs.auth.inlineSessionPolicy,
        managedSessionPolicies: inputs.auth.managedSessionPolicies,
        allowedAccountIds: inputs.auth.allowedAccountIds,
        shouldMaskAccountId: inputs.auth.shouldMaskAccountId,
        idTokenRequest: inputs.context.idTokenRequest,
      },
      { runtime: deps.runtime, sts, fetch: deps.fetch, firstIdToken },
    )
    deps.runtime.info(
      `Assumed ${result.assumedRoleArn} (account ${inputs.auth.shouldMaskAccountId ? '***' : result.accountId}).`,
    )
    return result
  })
}

async function runDeploy(
  inputs: Inputs,
  deps: MainDeps,
  earlier: {
    readonly auth: AuthResult | undefined
    readonly ecr: EcrResult | undefined
    readonly kubeconfig: KubeconfigResult | undefined
  },
): Promise<DeployResult> {
  const { deployRelease, toReleaseSpec } = await import('./phases/deploy.js')
  return deployRelease(
    {
      spec: toReleaseSpec(inputs.deploy),
      helmVersion: inputs.deploy.helmVersion,
      helmMirror: inputs.deploy.helmMirror,
      os: inputs.context.os,
      arch: inputs.context.arch,
      jobEnv: inputs.context.env,
      extraEnv: buildSigningEnv({
        env: inputs.context.env,
        credentials: earlier.auth?.credentials,
        region: inputs.region,
      }),
      image: earlier.ecr?.image,
      kubeconfigPath: earlier.kubeconfig?.path,
      dockerConfigDir: earlier.ecr?.dockerConfigDir,
      cluster:
        earlier.kubeconfig === undefined
          ? undefined
          : {
              clusterName: earlier.kubeconfig.clusterName,
              region: inputs.region,
              roleArn: clusterRoleArn(inputs, earlier.auth),
            },
    },
    { runtime: deps.runtime },
  )
}

/**
 * The IAM role the kubeconfig's tokens are signed as (cluster-role-arn, else role-to-assume), for a
 * 401 to name; under mask-aws-account-id its account is *** so that no message shows it.
 */
function clusterRoleArn(inputs: Inputs, auth: AuthResult | undefined): string | undefined {
  const roleArn = inputs.kubeconfig.clusterRoleArn ?? auth?.roleArn
  if (roleArn === undefined || !inputs.auth.shouldMaskAccountId) return roleArn
  return roleArn.replace(/^(arn:[^:]*:iam::)[^:]*/, '$1***')
}

export type { Plan }
