import type { Inputs } from '../inputs/types.js'
import type { AuthResult } from '../phases/auth/index.js'
import type { DeployResult } from '../phases/deploy/index.js'
import type { EcrResult } from '../phases/ecr/index.js'
import type { KubeconfigResult } from '../phases/kubeconfig/index.js'
import type { PhaseTiming } from './timing.js'

/** Everything the phases produced; the one input of the outputs, the exported env and the summary. */
export interface RunResults {
  readonly inputs: Inputs
  readonly auth: AuthResult | undefined
  readonly ecr: EcrResult | undefined
  readonly kubeconfig: KubeconfigResult | undefined
  readonly deploy: DeployResult | undefined
  readonly timings: readonly PhaseTiming[]
}
