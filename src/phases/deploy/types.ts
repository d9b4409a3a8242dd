import type { ChartRef, VerifyInputs } from '../../inputs/types.js'
import type { Env } from '../../lib/env.js'
import type { ActionError } from '../../lib/errors.js'
import type { ChangeSet } from './changes/types.js'
import type { FieldReport } from './fields/types.js'
import type { ReleaseSpec } from '../../helm/args.js'
import type { ManifestReport, ManifestSet } from './manifests/types.js'
import type { HelmSetup } from '../../helm/cli.js'
import type { HistoryEntry, ReleaseState } from '../../helm/result.js'
import type { Diagnosis } from './rollout/diagnose.js'
import type { Verification } from './verify/types.js'
import type { LockParams } from './lock/types.js'
import type { LockReport } from './lock/index.js'
import type { ChartKeyring } from './plan-keyring.js'
import type { ChartProvenance } from './provenance.js'

/** What helm deploys: a chart as given, or plain manifests (read by the plan) that the phase makes into one. */
export type ChartSource =
  | { readonly kind: 'chart'; readonly chart: ChartRef }
  | { readonly kind: 'manifests'; readonly manifests: ManifestSet }

/** Phase deploy's parameters, as the plan validated them. */
export interface DeployParams {
  /** The release and how helm deploys it; the chart comes from `source`. */
  readonly spec: Omit<ReleaseSpec, 'chart'>
  readonly source: ChartSource
  readonly helm: HelmSetup
  readonly region: string
  /** The job's environment, which helm (and the kubeconfig's token plugin under it) starts from. */
  readonly jobEnv: Env
  /** Where helm's own registry and repository files live for the step (RUNNER_TEMP). */
  readonly runnerTemp: string
  /** The checks after a successful rollout (helm-test, verify-urls, verify-alarms); undefined: none asked. */
  readonly verify?: VerifyInputs | undefined
  /** The release lock; undefined with lock: false and in a dry run. */
  readonly lock?: LockParams | undefined
  /** chart-keyring, converted for helm: the chart's .prov is verified before anything is written. */
  readonly keyring?: ChartKeyring | undefined
}

export interface DeployResult {
  /** What `helm version` reported (v4.1.4). */
  readonly helmVersion: string
  readonly release: string
  readonly namespace: string
  readonly isDryRun: boolean
  /** The release after the run (in a dry run: the one that would be made); none when it does not exist. */
  readonly state: ReleaseState | undefined
  /** The newest revision before the run; none for a first install. */
  readonly previousRevision: number | undefined
  readonly isRolledBack: boolean
  /** fail-fast stopped helm: the rollout could not succeed. */
  readonly isFailFast?: boolean
  /** The release's history before this deploy (oldest first), when helm ran: the deploy record reads it. */
  readonly historyBefore?: readonly HistoryEntry[]
  /** Set when the deploy failed: the orchestrator writes the outputs first, then fails the step with it. */
  readonly failure: ActionError | undefined
  /** Why it failed, in one line (output failure-reason); undefined when it did not. */
  readonly failureReason: string | undefined
  /** What the cluster said about a failed rollout (workloads, pods, events, logs), for the job summary. */
  readonly diagnosis: Diagnosis | undefined
  /** With `manifests`: what they became (images pinned, objects adopted). */
  readonly manifests?: ManifestReport
  /** Who owns the fields the release sets, and what drifted (the field ownership pre-flight); undefined when it did not run. */
  readonly fields?: FieldReport
  /** A dry run's account of what would change (output `changes`); undefined otherwise. */
  readonly changes: ChangeSet | undefined
  /** The checks after the rollout and what became of the release; undefined when none ran. */
  readonly verification?: Verification | undefined
  /** skip-unchanged: the dry run found nothing to change, and no upgrade ran. */
  readonly isSkipped?: boolean
  /** The release lock: held, or why the deploy went ahead without it; undefined when not asked for. */
  readonly lock?: LockReport
  /** The oci:// chart's manifest digest helm deployed (output chart-digest); undefined: not pinned. */
  readonly chartDigest?: string
  /** chart-keyring: who signed the chart's .prov, as helm verified it; undefined without chart-keyring. */
  readonly chartProvenance?: ChartProvenance
}
