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
import { rowsWith, STAGES, type PhaseKey, type RunnableRow } from './phase-table.js'
import { planPhases, type Plan } from './plan.js'
import { runnerFiles } from '../runner/plan-files.js'
import { publishRun } from './publish.js'
import type { RunResults } from './results.js'
import { PhaseTimer } from './timing.js'
import { planRecord, startPayload } from './deploy-record.js'
import type { RecordPlan } from '../record/record.js'

export type { ActionDeps } from './deps.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The results of a run so far, each kept the moment its phase returns. */
type RunResultsSoFar = Mutable<RunResults>

/** What a run has got so far: the summary reports it however far the run came. */
interface RunState {
  results: RunResultsSoFar | undefined
  accounts: AccountHider | undefined
  github: GitHubReporter | undefined
  record: RecordPlan | undefined
  /** The inputs' and the plan's warnings, repeated in the summary. */
  warnings: string[]
}

/**
 * The whole action, the only place that knows the order of the phases: inputs → plan → auth →
 * (ecr-login ‖ image check, then verify-image ‖ kubeconfig) → deploy (or uninstall) → outputs, summary,
 * GitHub reports.
 * Every run ends with a summary, even one that fails on its inputs.
 */
export async function runAction(deps: ActionDeps): Promise<void> {
  const timer = new PhaseTimer(deps.runtime)
  const state: RunState = {
    results: undefined,
    accounts: undefined,
    github: undefined,
    record: undefined,
    warnings: [],
  }
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
      record: state.record,
    },
    {
      runtime: deps.runtime,
      accounts: state.accounts ?? new AccountHider(false, deps.runtime),
      github: state.github,
      now: () => deps.runtime.now(),
    },
  )
  if (failure !== undefined) throw failure.error
}

/** A failure a phase reported in its result (a rolled-back release), with that phase's name. */
function failureOf(results: RunResults | undefined): { readonly error: unknown } | undefined {
  for (const { row, value } of results === undefined ? [] : rowsWith(results)) {
    const failure = row.failureOf?.(value)
    if (failure !== undefined) return { error: failedIn(row.name, failure) }
  }
  return undefined
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
    plan.github &&
    new GitHubReporter(plan.github, {
      runtime: deps.runtime,
      // Timed as the phases are, but not a phase: GitHub's refusal reaches the reporter as it was
      // thrown (a phase's time wraps it in a PhaseFailure, which hid the status and the permission hint).
      time: (name, fn) => timer.time(name, fn),
      createApi,
    })
  const record = await planRecord(
    inputs,
    plan,
    readEventPayload,
    timer.spans[0]?.startMs ?? deps.runtime.now(),
  )
  state.record = record
  if (record !== undefined)
    state.github?.lookUpRecord({
      commitSha: record.start.commitSha,
      payloadCommitTime: record.payloadCommitTime,
      startPayload: startPayload(record),
    })
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

/** What a row started with the step (see PhaseRow.start), handed to it in its turn. */
type Started = { readonly value: unknown } | undefined

/**
 * The phases of the plan in the table's three stages (auth; ecr-login beside kubeconfig; deploy or
 * teardown), the phases of a stage side by side. Each result is kept the moment it exists.
 */
async function runPlan(
  plan: Plan,
  run: { readonly deps: PhaseDeps; readonly timer: PhaseTimer; readonly github: GitHubReporter | undefined },
  results: RunResultsSoFar,
): Promise<void> {
  const planRun: PlanRun = { plan, deps: run.deps, timer: run.timer, results }
  const planned = rowsWith(plan)
  const [first, ...later] = STAGES
  const inStage = (stage: string) => planned.filter(({ row }) => row.stage === stage)
  // What needs no earlier phase starts with the step: the ID token request goes out first, then
  // what the deploy needs of neither AWS nor the cluster (helm, a local chart's render).
  const started = new Map<PhaseKey, Started>()
  const now = Promise.resolve()
  for (const { key, row, value } of inStage(first)) started.set(key, startRow(row, value, planRun, now))
  // A module loads without a break (the SDK's largest, a tenth of a second), and nothing else runs
  // meanwhile: the later phases' modules (the deploy's too) load once auth's first request is out
  // (without a hook for it, once auth's own modules are in), so that it does not wait for them. What
  // those phases start with the step needs none of them (helm's version, the render).
  const firstRows = inStage(first)
  let firstStageEnded: () => void = () => undefined
  const laterModules =
    firstRows.length === 0
      ? now
      : Promise.race([
          run.deps.clients.firstRequest?.then(twoTurns) ??
            Promise.all(firstRows.map(({ row }) => row.load())).then(() => undefined),
          new Promise<void>((resolve) => (firstStageEnded = resolve)),
        ]).catch(() => undefined)
  // Two turns of the event loop, for the ID token request to be on the wire before anything else.
  if (started.size > 0) await twoTurns()
  for (const stage of later)
    for (const { key, row, value } of inStage(stage))
      started.set(key, startRow(row, value, planRun, laterModules))
  // One more, for the processes those started (helm's) to be running before anything loads.
  if (started.size > 0) await new Promise((resolve) => setImmediate(resolve))
  if (firstRows.length > 0) {
    Promise.all(firstRows.map(({ row }) => row.load())).catch(() => undefined)
    void laterModules.then(() => {
      for (const { row } of planned) if (row.stage !== first) row.load().catch(() => undefined)
    })
  }
  for (const stage of STAGES) {
    if (stage === 'cluster' && plan.deploy !== undefined) run.github?.deployStarting()
    // After auth, the independent AWS calls run concurrently; each phase records what it created for
    // the post step as soon as it exists. All are waited for, so that the summary and the step's
    // error show every phase that failed.
    const chains = chainsOf(inStage(stage), ({ key, row, value }) =>
      runRow(key, row, value, planRun, started.get(key)),
    )
    const settled = await Promise.allSettled(chains.map(({ done }) => done))
    if (stage === first) firstStageEnded()
    const failure = sideBySideFailure(
      settled,
      chains.map(({ name }) => name),
      plan,
    )
    if (failure !== undefined) throw failure
  }
}

/**
 * A stage's phases as chains that run side by side: a phase that waits for another of its stage
 * (its row's `after`) runs at the end of that one's chain, which is named after its first phase.
 */
function chainsOf<T extends { readonly key: PhaseKey; readonly row: RunnableRow }>(
  rows: readonly T[],
  runOne: (entry: T) => Promise<void>,
): { readonly name: string; readonly done: Promise<void> }[] {
  const chains: { name: string; done: Promise<void> }[] = []
  const chainOf = new Map<PhaseKey, { name: string; done: Promise<void> }>()
  for (const entry of rows) {
    const chain = entry.row.after === undefined ? undefined : chainOf.get(entry.row.after)
    if (chain === undefined) {
      const started = { name: entry.row.name, done: runOne(entry) }
      chains.push(started)
      chainOf.set(entry.key, started)
    } else {
      chain.done = chain.done.then(() => runOne(entry))
      chainOf.set(entry.key, chain)
    }
  }
  return chains
}

/** A phase's deps: its parts show under it on the timeline when the row says so. */
function rowDeps(row: RunnableRow, { deps, timer }: PlanRun): PhaseDeps {
  return row.timeline === 'with-parts' ? partsOf(row.name, deps, timer) : deps
}

function startRow(row: RunnableRow, params: unknown, run: PlanRun, modules: Promise<void>): Started {
  return row.start === undefined
    ? undefined
    : { value: row.start(params, rowDeps(row, run), run.plan, modules) }
}

/** Two turns of the event loop: a request just made connects in the first, is written in the second. */
async function twoTurns(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  await new Promise((resolve) => setImmediate(resolve))
}

/** Runs one phase of the plan: loaded, timed, its result stored. */
async function runRow(
  key: PhaseKey,
  row: RunnableRow,
  params: unknown,
  run: PlanRun,
  started: Started,
): Promise<void> {
  const deps = rowDeps(row, run)
  const runPhase = async (): Promise<unknown> => {
    const earlier = await row.earlier(run.results, run.plan, started?.value)
    return (await row.load()).run(params, deps, earlier)
  }
  const hasFailed = (result: unknown) => row.failureOf?.(result) !== undefined
  const result =
    row.timeline === 'parts-only'
      ? await runPhase()
      : await run.timer.phase(row.name, runPhase, row.failureOf === undefined ? {} : { hasFailed })
  const stored: Partial<Record<PhaseKey, unknown>> = run.results
  stored[key] = result
}

const createApi: ConstructorParameters<typeof GitHubReporter>[1]['createApi'] = async (params) =>
  (await import('../github/octokit.js')).createGitHubApi(params)

function emptyResults(inputs: RunResults['inputs']): RunResultsSoFar {
  return { inputs, github: undefined }
}
