import type { ExecResult, Runtime } from '../../runner/runtime.js'
import type { ReleaseSpec } from '../../helm/args.js'
import type { HelmCli } from '../../helm/cli.js'
import { readReleaseHistory, type ReleaseWhere } from '../../helm/storage.js'
import { explainChartPullFailure } from './helm/chart-pull.js'
import { explainUpgradeFailure, isTimeout, lastHelmError, wasInstallUninstalled } from '../../helm/failure.js'
import { findRefusal } from '../../helm/forbidden.js'
import { describeRelease, isRolledBack, type HistoryEntry, type ReleaseStatus } from '../../helm/result.js'
import { isUnauthorized } from '../../helm/unauthorized.js'
import type { ClusterIdentity } from '../../helm/unauthorized.js'
import { withEvidence, type Diagnosis } from './rollout/diagnose.js'
import { diagnosisLines, diagnosisView } from './rollout/diagnosis-view.js'
import { failureReason, type RolloutFailure } from './rollout/explain.js'
import { failureAfterHelm } from './rollout/after-helm.js'
import type { DeployResult } from './types.js'
import type { WatchedRollout } from './upgrade.js'

const DIAGNOSIS_BUDGET_MS = 15_000

/** The release after `helm upgrade --install`, and for a failure: why, in one line and in full. */
export async function readOutcome(
  helm: HelmCli,
  params: {
    readonly spec: ReleaseSpec
    readonly cluster?: ClusterIdentity | undefined
    /** Where the release is read afterwards (helm's storage, else `helm history`). */
    readonly where: ReleaseWhere
  },
  run: ExecResult,
  previousRevision: number | undefined,
  watched: WatchedRollout | undefined,
): Promise<
  Pick<DeployResult, 'state' | 'isRolledBack' | 'isFailFast' | 'failure' | 'failureReason' | 'diagnosis'>
> {
  const { spec } = params
  // The newest revision is what `helm status` reports: one read of the history answers both.
  const history = (await readReleaseHistory(params.where, () => Promise.resolve(helm))).entries
  const status = statusOf(history.at(-1))
  const state = status === undefined ? undefined : describeRelease(status, history)
  const failed = run.exitCode !== 0
  const rolledBack =
    failed &&
    (isRolledBack(status, previousRevision) ||
      (previousRevision === undefined && wasInstallUninstalled(run.stderr)))
  if (!failed) {
    if (state !== undefined)
      helm.runtime.info(
        `Release ${spec.release}: revision ${state.revision} ${state.status} (chart ${state.chartName} ${state.chartVersion}, app ${state.appVersion || '-'}).`,
      )
    // helm waited for hooks only: the watch decided the Rollouts and Canaries afterwards.
    const late = failureAfterHelm({ ...spec, revision: state?.revision }, watched, helm.runtime)
    if (late !== undefined && watched?.diagnosis !== undefined)
      await printDiagnosis(helm.runtime, late.reason, watched.diagnosis)
    return {
      state,
      isRolledBack: false,
      failure: late?.error,
      failureReason: late?.reason,
      diagnosis: late === undefined ? undefined : watched?.diagnosis,
    }
  }
  const refused = refusalReason(run.stderr)
  const cause = causeOf(run, spec, watched)
  // A request the API server refused (401/403) is not a rollout: the workloads helm did not get to
  // write would each read "not created yet", which is not why it failed.
  const diagnosis =
    refused !== undefined
      ? undefined
      : (watched?.diagnosis ??
        withEvidence(
          await watched?.diagnostics.diagnose(watched.last, DIAGNOSIS_BUDGET_MS),
          cause.kind === 'timeout' ? watched?.beforeTimeout : undefined,
        ))
  // Fail-fast said its reason when it stopped helm, of the same verdict and diagnosis.
  const reason = refused ?? watched?.reason ?? failureReason(cause, diagnosis)
  if (diagnosis !== undefined) await printDiagnosis(helm.runtime, reason, diagnosis)
  // A chart its registry refused is not a rollout: say which chart and registry, not the cluster.
  const failure =
    explainChartPullFailure(spec.chart, spec.chartVersion, run.stderr) ??
    explainUpgradeFailure({
      release: spec.release,
      namespace: spec.namespace,
      exitCode: run.exitCode,
      stdout: run.stdout,
      stderr: run.stderr,
      state: status,
      history,
      isRolledBack: rolledBack,
      cluster: params.cluster,
      rollout:
        watched === undefined
          ? undefined
          : {
              reason,
              stoppedAfterSeconds: secondsOf(watched.stoppedAfterMs),
              rule: watched.verdict?.rule,
              relax: watched.verdict?.relax,
            },
    })
  const isFailFast = watched?.verdict !== undefined
  return { state, isRolledBack: rolledBack, isFailFast, failure, failureReason: reason, diagnosis }
}

/** For helm's request that the API server refused: who may not do what, and that it stopped there. */
function refusalReason(stderr: string): string | undefined {
  const refusal = findRefusal(stderr)
  if (refusal !== undefined) {
    const where =
      refusal.namespace === undefined ? 'at the cluster scope' : `in namespace ${refusal.namespace}`
    return `RBAC refused the request (HTTP 403 Forbidden): Kubernetes user "${refusal.user}" may not ${refusal.verb} ${refusal.resource} ${where}; helm stopped there, so what it had not yet written was not created or changed.`
  }
  return isUnauthorized(stderr)
    ? 'The API server refused the credentials (HTTP 401 Unauthorized); helm changed nothing.'
    : undefined
}

function causeOf(run: ExecResult, spec: ReleaseSpec, watched: WatchedRollout | undefined): RolloutFailure {
  if (watched?.verdict !== undefined)
    return {
      kind: 'hopeless',
      verdict: watched.verdict,
      afterSeconds: secondsOf(watched.stoppedAfterMs) ?? 0,
    }
  if (isTimeout(run.stderr)) return { kind: 'timeout', timeout: spec.timeout }
  return { kind: 'helm', error: lastHelmError(run.stderr) }
}

const secondsOf = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000)

/** The diagnosis in a log group of its own; other programs' text (container logs) is relayed, never parsed. */
async function printDiagnosis(runtime: Runtime, reason: string, diagnosis: Diagnosis): Promise<void> {
  await runtime.group('Why the rollout failed', () => {
    const view = diagnosisView(reason, diagnosis)
    for (const line of diagnosisLines(view)) runtime.info(line)
    for (const log of view.sections?.logs ?? []) {
      runtime.info(log.title)
      runtime.relay(log.lines.map((line) => `  ${line}`).join('\n'))
    }
    return Promise.resolve()
  })
}

const statusOf = (entry: HistoryEntry | undefined): ReleaseStatus | undefined =>
  entry === undefined
    ? undefined
    : { revision: entry.revision, status: entry.status, description: entry.description }
