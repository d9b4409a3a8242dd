import type { GitHubReport } from '../github/reporter.js'
import type { Inputs } from '../inputs/types.js'
import type { PhaseResults } from './phase-table.js'
import type { Span } from './timing.js'
import type { DeployRecord } from '../record/record.js'
import type { RecordPlan } from '../record/record.js'

/** Everything the phases produced (those that ran, keyed as in the phase table); the one input of the outputs and the exported env. */
export type RunResults = PhaseResults & {
  readonly inputs: Inputs
  /** What was reported to GitHub (comment-on-pr, github-deployment). */
  readonly github: GitHubReport | undefined
  /** The deploy record (output deploy-record), once the run has ended; undefined for a run that deploys nothing. */
  readonly record?: DeployRecord | undefined
}

/** Why the step failed, as the log says it. */
export interface RunFailure {
  /** The phase whose error the message shows (inputs, plan, auth, ...), each when phases side by side failed; none outside any phase. */
  readonly phases: readonly string[]
  /** formatFailure's text: exactly the step's error in the log. */
  readonly message: string
}

/** What the job summary shows of every run, failed or not. */
export interface RunReport {
  /** Undefined when the inputs did not parse. */
  readonly results: RunResults | undefined
  /** The phases (and their parts) as they ran. */
  readonly spans: readonly Span[]
  readonly failure: RunFailure | undefined
  /** What the log warned of before the phases ran (inputs and plan), e.g. a deploy that sets no image. */
  readonly warnings?: readonly string[]
  /** The deploy record as the deploy started; undefined when the run deploys nothing. */
  readonly record?: RecordPlan | undefined
}
