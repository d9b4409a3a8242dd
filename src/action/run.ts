import { GitHubReporter } from '../github/reporter.js'
import { parseInputs } from '../inputs/parse.js'
import { failedIn, formatFailure, PhaseFailure } from '../lib/errors.js'
import { AccountHider } from '../lib/masking.js'
import type { PhaseDeps } from '../phases/phase.js'
import type { ActionDeps } from './deps.js'
import { sideBySideFailure } from './failures.js'
import { eventPayloadReader } from './event-payload.js'
import { maskRawSecretInputs, maskSecretInputs } from './mask-inputs.js'
import { makePhaseDeps, partsOf } from './phase-deps.js'
import { PHASES, plannedPhases, type PhaseRow, type RunResultsSoFar } from './phase-table.js'
import { planPhases, type Plan } from './plan.js'
import { runnerFiles } from '../runner/plan-files.js'
import { publishRun } from './publish.js'
import type { RunResults } from './results.js'
import { PhaseTimer } from './timing.js'

export type { ActionDeps } from './deps.js'

/** What a run has got so far: the summary reports it however far the run came. */
interface RunState {
  results: RunResultsSoFar | undefined
  accounts: AccountHider | undefined
  github: GitHubReporter | undefined
  /** The inputs' and the plan's warnings, repeated in the summary. */
  warnings: string[]
}

/**
 * The whole action, the only place that knows the order of the phases: inputs → plan → auth →
 * (ecr-login ‖ image check, then verify-image ‖ kubeconfig) → deploy (or uninstall) → outputs, summary, GitHub reports.
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
  state.results = emptyResults(inputs)
  await runPlan(plan, { deps: phaseDeps, timer, github: state.github }, state.results)
}

interface PlanRun {
  readonly plan: Plan
  readonly deps: PhaseDeps
  readonly timer: PhaseTimer
  readonly results: RunResultsSoFar
}

/**
 * The phases of the plan in three stages: auth; ecr-login beside kubeconfig; deploy or teardown.
 * Each result is kept the moment it exists.
 */
async function runPlan(
  plan: Plan,
  run: { readonly deps: PhaseDeps; readonly timer: PhaseTimer; readonly github: GitHubReporter | undefined },
  results: RunResultsSoFar,
): Promise<void> {
  const planRun: PlanRun = { plan, deps: run.deps, timer: run.timer, results }
  // What needs no earlier phase starts with the step: the ID token request goes out first, then
  // what the deploy needs of neither AWS nor the cluster (helm, a local chart's render).
  const authStarted = startRow(PHASES.auth, planRun)
  // The later phases' modules (and their SDK clients) load while auth's STS request is in flight.
  if (plan.auth !== undefined) {
    PHASES.auth
      .load()
      .then(() => {
        for (const key of plannedPhases(plan)) if (key !== 'auth') PHASES[key].load().catch(() => undefined)
      })
      .catch(() => undefined)
  }
  const started = {
    auth: authStarted,
    ecr: startRow(PHASES.ecr, planRun),
    kubeconfig: startRow(PHASES.kubeconfig, planRun),
    verify: startRow(PHASES.verify, planRun),
    deploy: startRow(PHASES.deploy, planRun),
    teardown: startRow(PHASES.teardown, planRun),
  }
  await runRow(PHASES.auth, planRun, started.auth)
  // After auth, the independent AWS calls run concurrently; each phase records what it created for
  // the post step as soon as it exists. Both are waited for, so that the summary and the step's
  // error show both when both fail.
  // verify-image checks the digest the image check resolved, beside kubeconfig, before helm runs.
  const settled = await Promise.allSettled([
    runRow(PHASES.ecr, planRun, started.ecr).then(() => runRow(PHASES.verify, planRun, started.verify)),
    runRow(PHASES.kubeconfig, planRun, started.kubeconfig),
  ])
  const failure = sideBySideFailure(settled, ['ecr-login', 'kubeconfig'], plan)
  if (failure !== undefined) throw failure
  if (plan.deploy !== undefined) run.github?.deployStarting()
  await runRow(PHASES.deploy, planRun, started.deploy)
  await runRow(PHASES.teardown, planRun, started.teardown)
}

/** A phase's deps: its parts show under it on the timeline when the row says so. */
function rowDeps<P, E, R, S>(row: PhaseRow<P, E, R, S>, { deps, timer }: PlanRun): PhaseDeps {
  return row.hasParts === true && row.timing !== undefined ? partsOf(row.timing, deps, timer) : deps
}

function startRow<P, E, R, S>(row: PhaseRow<P, E, R, S>, run: PlanRun): { readonly value: S } | undefined {
  const params = row.params(run.plan)
  if (params === undefined || row.start === undefined) return undefined
  return { value: row.start(params, rowDeps(row, run), run.plan) }
}

/** Runs one phase of the plan (nothing when it does not run): loaded, timed, its result stored. */
async function runRow<P, E, R, S>(
  row: PhaseRow<P, E, R, S>,
  run: PlanRun,
  started: { readonly value: S } | undefined,
): Promise<void> {
  const params = row.params(run.plan)
  if (params === undefined) return
  const deps = rowDeps(row, run)
  const runPhase = async (): Promise<R> => {
    const earlier = await row.earlier(run.results, run.plan, started?.value)
    return (await row.load()).run(params, deps, earlier)
  }
  const { timing, hasFailed } = row
  const result =
    timing === undefined
      ? await runPhase()
      : await run.timer.phase(timing, runPhase, hasFailed === undefined ? {} : { hasFailed })
  row.store(run.results, result)
}

const createApi: ConstructorParameters<typeof GitHubReporter>[1]['createApi'] = async (params) =>
  (await import('../github/octokit.js')).createGitHubApi(params)

function emptyResults(inputs: RunResults['inputs']): RunResultsSoFar {
  return {
    inputs,
    auth: undefined,
    ecr: undefined,
    kubeconfig: undefined,
    verify: undefined,
    deploy: undefined,
    teardown: undefined,
    github: undefined,
  }
}
