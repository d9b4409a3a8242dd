import type { GitHubReport } from '../github/reporter.js'
import type { Inputs } from '../inputs/types.js'
import type { AuthResult } from '../phases/auth/index.js'
import type { DeployResult } from '../phases/deploy/index.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { KubeconfigResult } from '../phases/kubeconfig/index.js'
import type { TeardownResult } from '../phases/teardown/index.js'
import type { VerifyResult } from '../phases/verify/index.js'
import type { Span } from './timing.js'

/** Everything the phases produced (those that ran); the one input of the outputs and the exported env. */
export interface RunResults {
  readonly inputs: Inputs
  readonly auth: AuthResult | undefined
  readonly ecr: EcrResult | undefined
  readonly kubeconfig: KubeconfigResult | undefined
  /** verify-image: the build the image's attestation proves. */
  readonly verify?: VerifyResult | undefined
  readonly deploy: DeployResult | undefined
  readonly teardown: TeardownResult | undefined
  /** What was reported to GitHub (comment-on-pr, github-deployment). */
  readonly github: GitHubReport | undefined
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
}
