import type { TokenPluginCommand } from '../eks-token/plugin-command.js'
import { parseInputs } from '../inputs/parse.js'
import type { ReadInput } from '../inputs/problems.js'
import type { AwsClientFactory } from '../lib/aws-clients.js'
import { ActionError } from '../lib/errors.js'
import { AccountHider } from '../lib/masking.js'
import type { AuthParams, AuthResult } from '../phases/auth/index.js'
import { requestIdTokenEarly } from '../phases/auth/oidc.js'
import type { DeployParams, DeployResult } from '../phases/deploy/index.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { KubeconfigResult } from '../phases/kubeconfig/index.js'
import type { PhaseDeps } from '../phases/phase.js'
import type { RunnerContext } from '../runner/context.js'
import type { HttpGet } from '../runner/http-get.js'
import type { Runtime } from '../runner/runtime.js'
import { CleanupRecorder } from './cleanup.js'
import { planPhases, plannedPhases, type Plan } from './plan.js'
import { publishResults } from './publish.js'
import { PhaseTimer } from './timing.js'

/** What a run needs of the world: the runner, the AWS clients, HTTP, and where the token plugin is. */
export interface ActionDeps {
  readonly runtime: Runtime
  readonly readInput: ReadInput
  readonly context: RunnerContext
  readonly clients: AwsClientFactory
  readonly httpGet: HttpGet
  readonly tokenPlugin: TokenPluginCommand
  /** Reads a file the runner wrote (the event payload at GITHUB_EVENT_PATH). */
  readonly readFile: (path: string) => Promise<string>
}

/**
 * Each phase's module, loaded only when the plan runs it: a run that fails on its inputs never
 * loads the SDK, and a run without deploy never loads helm's code.
 */
const PHASE_MODULES = {
  auth: () => import('../phases/auth/index.js'),
  ecr: () => import('../phases/ecr/index.js'),
  kubeconfig: () => import('../phases/kubeconfig/index.js'),
  deploy: () => import('../phases/deploy/index.js'),
}

/**
 * The whole action, the only place that knows the order of the phases:
 * inputs → plan → auth → (ecr-login ‖ image check ‖ kubeconfig) → deploy → outputs and summary.
 */
export async function runAction(deps: ActionDeps): Promise<void> {
  const inputs = parseInputs(deps.readInput, deps.context)
  for (const warning of inputs.warnings) deps.runtime.warning(warning)
  const plan = await planPhases(inputs, {
    readEventPayload: () => readEventPayload(inputs.context.eventPath, deps.readFile),
  })
  const timer = new PhaseTimer(deps.runtime)
  const phaseDeps: PhaseDeps = {
    runtime: deps.runtime,
    clients: deps.clients,
    httpGet: deps.httpGet,
    tokenPlugin: deps.tokenPlugin,
    accounts: new AccountHider(inputs.auth.shouldMaskAccountId, deps.runtime),
    cleanup: new CleanupRecorder(deps.runtime),
    time: (name, fn) => timer.time(name, fn),
  }
  const image = plan.ecr?.image
  if (image !== undefined) deps.runtime.info(`Image tag ${image.tag.tag}: ${image.tag.origin}.`)
  const results = await runPhases(plan, phaseDeps, timer)
  await publishResults({ inputs, ...results, timings: timer.timings }, deps.runtime, phaseDeps.accounts)
  // A failed helm upgrade still reports the release (revision, rolled-back) before failing the step.
  if (results.deploy?.failure !== undefined) throw results.deploy.failure
}

interface PhaseResults {
  readonly auth: AuthResult | undefined
  readonly ecr: EcrResult | undefined
  readonly kubeconfig: KubeconfigResult | undefined
  readonly deploy: DeployResult | undefined
}

async function runPhases(plan: Plan, deps: PhaseDeps, timer: PhaseTimer): Promise<PhaseResults> {
  const { auth: authPlan } = plan
  const auth = authPlan && (await timer.time('auth', () => runAuth(authPlan, deps, plan)))
  // After auth, the independent AWS calls run concurrently; each phase records what it created
  // for the post step as soon as it exists, even when a sibling fails.
  const earlier = { credentials: auth?.credentials }
  const { ecr: ecrPlan, kubeconfig: kubeconfigPlan, deploy: deployPlan } = plan
  const [ecr, kubeconfig] = await Promise.all([
    ecrPlan && PHASE_MODULES.ecr().then((phase) => phase.run(ecrPlan, deps, earlier)),
    kubeconfigPlan &&
      timer.time('kubeconfig', async () =>
        (await PHASE_MODULES.kubeconfig()).run(kubeconfigPlan, deps, earlier),
      ),
  ])
  const deploy =
    deployPlan &&
    (await timer.time('deploy', () => runDeploy(plan, deployPlan, deps, { auth, ecr, kubeconfig })))
  return { auth, ecr, kubeconfig, deploy }
}

async function runAuth(params: AuthParams, deps: PhaseDeps, plan: Plan): Promise<AuthResult> {
  // The ID token request needs no SDK: it goes out first, and the SDK loads while it is in flight.
  // Role chaining signs with the job's current credentials and needs no ID token.
  const idToken = params.isRoleChaining ? undefined : requestIdTokenEarly(params, params.audience, deps)
  const phase = await PHASE_MODULES.auth()
  // The later phases' modules (and their SDK clients) load while the STS request is in flight.
  for (const name of plannedPhases(plan)) if (name !== 'auth') PHASE_MODULES[name]().catch(() => undefined)
  return phase.run(params, deps, { idToken })
}

async function runDeploy(
  plan: Plan,
  params: DeployParams,
  deps: PhaseDeps,
  earlier: Omit<PhaseResults, 'deploy'>,
): Promise<DeployResult> {
  const { auth, ecr, kubeconfig } = earlier
  // The IAM role the kubeconfig's tokens are signed as, for a refusal (HTTP 401/403) to name.
  const roleArn = plan.kubeconfig?.clusterRoleArn ?? auth?.roleArn
  deps.accounts.add(roleArn)
  return (await PHASE_MODULES.deploy()).run(params, deps, {
    credentials: auth?.credentials,
    image: ecr?.image,
    dockerConfigDir: ecr?.dockerConfigDir,
    kubeconfigPath: kubeconfig?.path,
    cluster:
      kubeconfig === undefined
        ? undefined
        : {
            clusterName: kubeconfig.clusterName,
            region: params.region,
            roleArn: roleArn === undefined ? undefined : deps.accounts.hide(roleArn),
          },
  })
}

async function readEventPayload(
  eventPath: string | undefined,
  readFile: (path: string) => Promise<string>,
): Promise<unknown> {
  if (eventPath === undefined) return undefined
  try {
    return JSON.parse(await readFile(eventPath)) as unknown
  } catch (error) {
    throw new ActionError(`Could not read the event payload GITHUB_EVENT_PATH=${eventPath}.`, {
      cause: error,
      hint: "The runner writes it for every run; outside GitHub Actions, set 'image-tag' explicitly.",
    })
  }
}
