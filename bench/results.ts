import type { RolloutResults } from './rollout.js'
import type { HealthyResults } from './healthy-deploy.js'
import type { AwsCliLookup } from './aws-cli.js'
import type { BundleFile, BundleReport } from './bundle-files.js'
import type { RecordedCall } from './counting-proxy.js'
import type { ProfileSummary } from './cpu-profile.js'
import type { Outcome } from './judge.js'
import type { ScenarioId } from './scenarios.js'
import type { Summary } from './stats.js'

/** What one scenario came to over the whole bench. */
export interface ScenarioResult {
  readonly id: ScenarioId
  readonly label: string
  /** ok, or why it was not timed (n/a: phase not in this build; failed; skipped: no AWS CLI). */
  readonly outcome: Outcome | { readonly kind: 'skipped'; readonly reason: string }
  readonly summary: Summary | undefined
  /** CPU time (user + system) of the run's processes: barely moved by other load on the machine. */
  readonly cpu: Summary | undefined
  readonly steps: Readonly<Record<string, Summary>>
  /** The calls of its last run, and when that run's processes started and ended. */
  readonly calls: readonly RecordedCall[]
  readonly span: { readonly startMs: number; readonly endMs: number } | undefined
}

export interface MachineInfo {
  readonly cpus: number
  readonly cpuModel: string
  readonly os: string
  readonly node: string
  readonly moto: string
  readonly loadBefore: readonly number[]
  readonly loadAfter: readonly number[]
}

export interface BenchResults {
  readonly date: string
  readonly runs: number
  readonly machine: MachineInfo
  readonly cli: AwsCliLookup
  readonly scenarios: Readonly<Partial<Record<ScenarioId, ScenarioResult>>>
  readonly bundle: BundleReport
  /** dist/ files each inspected run loaded. */
  readonly loaded: Readonly<Partial<Record<ScenarioId, readonly BundleFile[]>>>
  readonly profiles: readonly { readonly title: string; readonly summary: ProfileSummary }[]
  readonly rollouts: RolloutResults
  readonly healthy: HealthyResults
}

/** "n/a (phase not in this build: …)", "failed: …", "skipped: …". */
export function describeOutcome(result: Pick<ScenarioResult, 'outcome' | 'summary'>): string {
  const { outcome } = result
  switch (outcome.kind) {
    case 'ok':
      return result.summary === undefined ? 'no sample' : 'ok'
    case 'na':
      return `n/a (${outcome.reason})`
    case 'failed':
    case 'skipped':
      return `${outcome.kind}: ${outcome.reason}`
  }
}
