import type { Inputs, PhaseName } from '../inputs/types.js'
import type { AwsClientFactory } from '../lib/aws-clients.js'
import type { AccountHider } from '../lib/masking.js'
import type { TokenPluginCommand } from '../eks-token/plugin-command.js'
import type { HttpGet } from '../runner/http-get.js'
import type { PlanFiles } from '../runner/plan-files.js'
import type { SavedLease } from '../kube/saved-lease.js'
import type { Runtime } from '../runner/runtime.js'

/**
 * What every phase may use. Side effects come in here and nowhere else, so a phase test passes
 * fakes (a FakeRuntime, aws-sdk-client-mock clients) and needs no module mocking.
 */
export interface PhaseDeps {
  readonly runtime: Runtime
  readonly clients: AwsClientFactory
  readonly httpGet: HttpGet
  /** How a kubeconfig starts this action's token plugin (node + dist/token/index.js). */
  readonly tokenPlugin: TokenPluginCommand
  /** mask-aws-account-id: the accounts to mask in the log and to hide in what the action writes. */
  readonly accounts: AccountHider
  /**
   * Records, for the post step, the moment they exist: files and directories a phase created, and a
   * release lock it holds (given up by the post step when the main step could not: a cancelled job).
   */
  readonly cleanup: {
    add(paths: readonly string[]): void
    holdLease(lease: SavedLease): void
    /** The lease was given up (or lost to another deploy): the post step has nothing to do for it. */
    dropLease(lease: SavedLease): void
  }
  /**
   * Times a part of a phase for the job summary's timeline (the orchestrator times each phase as a
   * whole); it counts as failed when it throws, or when `hasFailed` says so of its result.
   */
  readonly time: <T>(name: string, fn: () => Promise<T>, hasFailed?: (result: T) => boolean) => Promise<T>
  /** Records a part of a phase that the phase measured itself (helm's wait, then its rollback). */
  readonly record: (span: PhaseSpan) => void
}

/** A stretch of a phase: from when to when (the Runtime's clock, ms), and whether it failed. */
export interface PhaseSpan {
  readonly name: string
  readonly startMs: number
  readonly endMs: number
  readonly isFailed: boolean
}

/**
 * The one shape of a phase: the parameters the plan validated (never checked again), the side
 * effects, and what the earlier phases produced (each phase names the part it reads). Each phase
 * folder's index.ts exports its `run` of this shape; action/run.ts alone knows their order. A method,
 * so that the phase table can hold every phase as one type; each row checks its own.
 */
export interface PhaseModule<Params, Earlier, Result> {
  run(params: Params, deps: PhaseDeps, earlier: Earlier): Promise<Result>
}

/**
 * A cell of the job summary's table: text, and code spans ({ code }). The summary escapes both
 * (values from AWS or helm) and hides the masked accounts in them.
 */
export type SummaryCell = readonly (string | { readonly code: string })[]

/** A row of the job summary's table: its label and its cell. */
export type SummaryRow = readonly [string, SummaryCell]

/** What a phase's plan.ts reads besides the inputs. */
export interface PlanContext {
  /** The phases the run selected: those `phases:` lists, or under `auto` each whose inputs are present. */
  readonly selected: ReadonlySet<PhaseName>
  /** Reads GITHUB_EVENT_PATH's payload; called only when the image tag depends on it. */
  readonly readEventPayload: () => Promise<unknown>
  /** Local charts, values files, manifests and kubeconfigs are looked at before any AWS call. */
  readonly files: PlanFiles
  /** Not wrong, but worth a look (a deploy that sets no image): the log and the summary say so. */
  readonly warn: (warning: string) => void
}

/**
 * A phase's plan.ts: inputs → its validated parameters, or undefined when it does not run. `planned`:
 * the parameters of the phases planned before it (the phase table's order), for a phase that builds
 * on another's (verify-image on the image the ecr plan located).
 */
export type PlanPhase<Params, Planned = object> = (
  inputs: Inputs,
  context: PlanContext,
  planned: Planned,
) => Params | undefined | Promise<Params | undefined>

/**
 * A phase's report.ts: what its result shows as step outputs (by name as declared in action.yml), in
 * the job summary, and to the job's later steps. Methods, so that the phase table can hold every
 * phase's report as one type; each row checks its own against its result.
 */
export interface PhaseReport<Result> {
  outputsOf(result: Result): Record<string, string>
  /** Its rows of the job summary's table. */
  summaryRows(result: Result, inputs: Inputs): SummaryRow[]
  /** Its sections of the job summary after the table (what a dry run would change, why a rollout failed). */
  summarySections?(result: Result): string[]
  /** The variables the job's later steps get through GITHUB_ENV. */
  exportedEnv?(result: Result, inputs: Inputs): Record<string, string>
}
