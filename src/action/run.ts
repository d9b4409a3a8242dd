import { GitHubReporter } from '../github/reporter.js'
import { parseInputs } from '../inputs/parse.js'
import { failedIn, formatFailure, PhaseFailure } from '../lib/errors.js'
import type { ImageRef } from '../lib/image-ref.js'
import { AccountHider } from '../lib/masking.js'
import type { AuthParams, AuthResult } from '../phases/auth/index.js'
import { requestIdTokenEarly } from '../phases/auth/oidc.js'
import type { DeployHeadStart, DeployParams, DeployResult } from '../phases/deploy/index.js'
import type { PhaseDeps } from '../phases/phase.js'
import type { ActionDeps } from './deps.js'
import { sideBySideFailure } from './failures.js'
import { eventPayloadReader } from './event-payload.js'
import { maskRawSecretInputs, maskSecretInputs } from './mask-inputs.js'
import { makePhaseDeps, partsOf } from './phase-deps.js'
import { planPhases, plannedPhases, type Plan } from './plan.js'
import { runnerFiles } from './plan-files.js'
import { publishRun } from './publish.js'
import type { RunResults } from './results.js'
import { PhaseTimer } from './timing.js'

export type { ActionDeps } from './deps.js'

/**
 * Each phase's module, loaded only when the plan runs it: a run that fails on its inputs never
 * loads the SDK, and a run without deploy never loads helm's code.
 */
const PHASE_MODULES = {
  auth: () => import('../phases/auth/index.js'),
  ecr: () => import('../phases/ecr/index.js'),
  kubeconfig: () => import('../phases/kubeconfig/index.js'),
  deploy: () => import('../phases/deploy/index.js'),
  teardown: () => import('../phases/teardown/index.js'),
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** What a run has got so far: the summary reports it however far the run came. */
interface RunState {
  results: Mutable<RunResults> | undefined
  accounts: AccountHider | undefined
  github: GitHubReporter | undefined
  /** The inputs' and the plan's warnings, repeated in the summary. */
  warnings: string[]
}

/**
 * The whole action, the only place that knows the order of the phases: inputs → plan → auth →
 * (ecr-login ‖ image check ‖ kubeconfig) → deploy (or uninstall) → outputs, summary, GitHub reports.
 * Every run ends with a summary, even one that fails on its inputs.
 */
export async function runAction(deps: ActionDeps): Promise<void> {
  const timer = new PhaseTimer(deps.runtime)
  const state: RunState = { results: undefined, accounts: undefined, github: undefined, warnings: [] }
  let thrown: { readonly error: unknown } | undefined
  try {
    await runPhases(deps, timer, state)
  } catch (error) {
    thrown = { error }
  }
  // A failed deploy or teardown still reports the release (revision, rolled-back) before failing the step.
  const failure = thrown ?? failureOf(state.results)
  await publishRun(
    {
      results: state.results,
      spans: timer.spans,
      failure: failure && {
        phases: failure.error instanceof PhaseFailure ? failure.error.phases : [],
        message: formatFailure(failure.error),
      },
      warnings: state.warnings,
    },
    {
      runtime: deps.runtime,
      accounts: state.accounts ?? new AccountHider(false, deps.runtime),
      github: state.github,
    },
  )
  if (failure !== undefined) throw failure.error
}

function failureOf(results: RunResults | undefined): { readonly error: unknown } | undefined {
  const deploy = results?.deploy?.failure
  if (deploy !== undefined) return { error: failedIn('deploy', deploy) }
  const teardown = results?.teardown?.failure
  return teardown === undefined ? undefined : { error: failedIn('uninstall', teardown) }
}

async function runPhases(deps: ActionDeps, timer: PhaseTimer, state: RunState): Promise<void> {
  maskRawSecretInputs(deps.readInput, deps.runtime)
  const inputs = await timer.phase('inputs', () => Promise.resolve(parseInputs(deps.readInput, deps.context)))
  maskSecretInputs(inputs, deps.runtime)
  for (const warning of inputs.warnings) deps.runtime.warning(warning)
  state.warnings.push(...inputs.warnings)
  const readEventPayload = eventPayloadReader(inputs.context.eventPath, deps.readFile)
  const plan = await timer.phase('plan', () => planPhases(inputs, { readEventPayload, files: runnerFiles }))
  for (const warning of plan.warnings) deps.runtime.warning(warning)
  state.warnings.push(...plan.warnings)
  const accounts = new AccountHider(inputs.auth.shouldMaskAccountId, deps.runtime)
  const phaseDeps = makePhaseDeps(deps, timer, accounts)
  state.accounts = accounts
  state.github =
    plan.github && new GitHubReporter(plan.github, { runtime: deps.runtime, time: phaseDeps.time, createApi })
  state.github?.begin()
  const image = plan.ecr?.image
  if (image !== undefined) deps.runtime.info(`Image tag ${image.tag.tag}: ${image.tag.origin}.`)
  state.results = emptyResults(inputs)
  await runPlan(plan, { deps: phaseDeps, timer, github: state.github }, state.results)
}

/** The phases of the plan, each result kept the moment it exists. */
async function runPlan(
  plan: Plan,
  run: { readonly deps: PhaseDeps; readonly timer: PhaseTimer; readonly github: GitHubReporter | undefined },
  results: Mutable<RunResults>,
): Promise<void> {
  const { deps, timer } = run
  const { auth, ecr, kubeconfig, deploy, teardown } = plan
  // What the deploy needs of neither AWS nor the cluster (helm, a local chart's render, the Kubernetes
  // client) starts with the step; the ID token request goes out first (runAuth, synchronously).
  const authing = auth && timer.phase('auth', () => runAuth(auth, deps, plan))
  const headStart =
    deploy &&
    PHASE_MODULES.deploy().then((phase) =>
      phase.startDeploy(deploy, partsOf('deploy', deps, timer), provisionalImage(plan)),
    )
  headStart?.catch(() => undefined)
  results.auth = await authing
  // After auth, the independent AWS calls run concurrently; each phase records what it created
  // for the post step as soon as it exists, even when a sibling fails.
  const earlier = { credentials: results.auth?.credentials }
  // Both are waited for, so that the summary and the step's error show both when both fail.
  const settled = await Promise.allSettled([
    ecr && PHASE_MODULES.ecr().then(async (phase) => (results.ecr = await phase.run(ecr, deps, earlier))),
    kubeconfig &&
      timer.phase('kubeconfig', async () => {
        results.kubeconfig = await (await PHASE_MODULES.kubeconfig()).run(kubeconfig, deps, earlier)
      }),
  ])
  const failure = sideBySideFailure(settled, ['ecr-login', 'kubeconfig'], plan)
  if (failure !== undefined) throw failure
  if (deploy !== undefined) {
    run.github?.deployStarting()
    const parts = partsOf('deploy', deps, timer)
    results.deploy = await timer.phase(
      'deploy',
      async () => runDeploy(plan, deploy, parts, results, await headStart),
      hasFailed,
    )
  }
  if (teardown !== undefined) {
    const parts = partsOf('uninstall', deps, timer)
    const phase = await PHASE_MODULES.teardown()
    const kubeconfigPath = results.kubeconfig?.path
    results.teardown = await timer.phase(
      'uninstall',
      () => phase.run(teardown, parts, { ...earlier, kubeconfigPath }),
      hasFailed,
    )
  }
}

const hasFailed = { hasFailed: (result: { readonly failure: unknown }) => result.failure !== undefined }

const createApi: ConstructorParameters<typeof GitHubReporter>[1]['createApi'] = async (params) =>
  (await import('../github/octokit.js')).createGitHubApi(params)

function emptyResults(inputs: RunResults['inputs']): Mutable<RunResults> {
  return {
    inputs,
    auth: undefined,
    ecr: undefined,
    kubeconfig: undefined,
    deploy: undefined,
    teardown: undefined,
    github: undefined,
  }
}

/**
 * The image as far as the plan knows it, for the render ahead of the deploy: the registry host waits
 * for the account (auth), but the objects' kinds and names, all that render is read for, never do.
 */
function provisionalImage(plan: Plan): ImageRef | undefined {
  const image = plan.ecr?.image
  if (image === undefined) return undefined
  return { registry: 'registry.invalid', name: image.repository, tag: image.tag.tag, digest: image.digest }
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
  earlier: Pick<RunResults, 'auth' | 'ecr' | 'kubeconfig'>,
  headStart: DeployHeadStart | undefined,
): Promise<DeployResult> {
  const { auth, ecr, kubeconfig } = earlier
  // The IAM role the kubeconfig's tokens are signed as, for a refusal (HTTP 401/403) to name.
  const roleArn = plan.kubeconfig?.clusterRoleArn ?? auth?.roleArn
  deps.accounts.add(roleArn)
  return (await PHASE_MODULES.deploy()).run(
    params,
    deps,
    {
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
    },
    headStart,
  )
}
