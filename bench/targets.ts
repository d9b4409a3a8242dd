import { totalBytes, type BundleFile } from './bundle-files.js'
import { formatLevels, sequentialLevels } from './counting-proxy.js'
import { describeOutcome, type BenchResults, type ScenarioResult } from './results.js'
import { formatBytes, formatMs } from './stats.js'

export type Verdict = 'pass' | 'FAIL' | 'n/a'

export interface TargetRow {
  readonly target: string
  readonly measured: string
  readonly verdict: Verdict
}

/** The targets of issue 6, judged on the medians. */
export function evaluateTargets(results: BenchResults): TargetRow[] {
  const s = results.scenarios
  return [
    speedup('ours ≥ 8× faster than the AWS CLI route', s['ours-full'], s['cli-route'], 8),
    speedup('token ≥ 8× faster than `aws eks get-token`', s['token-ours'], s['token-cli'], 8),
    coldStart(s['cold-ours'], s['node-bare']),
    mainBundleSize(results),
    tokenBundle(results),
    criticalPath(s['ours-full']),
  ]
}

function unavailable(result: ScenarioResult | undefined): string | undefined {
  if (result === undefined) return 'not run'
  return result.outcome.kind !== 'ok' || result.summary === undefined ? describeOutcome(result) : undefined
}

function speedup(
  target: string,
  ours: ScenarioResult | undefined,
  theirs: ScenarioResult | undefined,
  factor: number,
): TargetRow {
  const missing = unavailable(ours) ?? unavailable(theirs)
  if (missing !== undefined || ours?.summary === undefined || theirs?.summary === undefined) {
    return { target, measured: missing ?? 'n/a', verdict: 'n/a' }
  }
  const times = theirs.summary.medianMs / ours.summary.medianMs
  const cpu =
    ours.cpu !== undefined && theirs.cpu !== undefined && ours.cpu.medianMs > 0
      ? `; in CPU time ${(theirs.cpu.medianMs / ours.cpu.medianMs).toFixed(1)}×`
      : ''
  return {
    target,
    measured: `${times.toFixed(1)}× (${formatMs(ours.summary.medianMs)} vs ${formatMs(theirs.summary.medianMs)})${cpu}`,
    verdict: times >= factor ? 'pass' : 'FAIL',
  }
}

function coldStart(cold: ScenarioResult | undefined, bare: ScenarioResult | undefined): TargetRow {
  const target = "cold start ≤ 100 ms above `node -e ''`"
  const missing = unavailable(cold) ?? unavailable(bare)
  if (missing !== undefined || cold?.summary === undefined || bare?.summary === undefined) {
    return { target, measured: missing ?? 'n/a', verdict: 'n/a' }
  }
  const above = cold.summary.medianMs - bare.summary.medianMs
  return {
    target,
    measured: `+${formatMs(above)} (${formatMs(cold.summary.medianMs)} vs ${formatMs(bare.summary.medianMs)})`,
    verdict: above <= 100 ? 'pass' : 'FAIL',
  }
}

const LIMIT_BYTES = 1.5 * 1024 * 1024

/** The entry alone, and what a run really loads: the entry plus the chunks it imports. */
function mainBundleSize(results: BenchResults): TargetRow {
  const entry = results.bundle.entries.find((e) => e.file === 'dist/index.js')?.bytes ?? 0
  const full: readonly BundleFile[] | undefined = results.loaded['ours-full']
  const auth: readonly BundleFile[] | undefined = results.loaded['ours-auth']
  const loaded = full ?? auth
  const which = full !== undefined ? 'a full run' : 'an auth-only run (full run n/a)'
  const loadedBytes = loaded === undefined ? entry : totalBytes(loaded)
  return {
    target: '`dist/index.js` ≤ 1.5 MB (the entry, and the entry + chunks a run loads)',
    measured: `entry ${formatBytes(entry)}; loaded by ${which}: ${formatBytes(loadedBytes)} in ${loaded?.length ?? 1} file(s)`,
    verdict: Math.max(entry, loadedBytes) <= LIMIT_BYTES ? 'pass' : 'FAIL',
  }
}

/** "As small as it can be" is judged as: it works, and it holds no SDK client (SigV4 alone is allowed). */
function tokenBundle(results: BenchResults): TargetRow {
  const bytes = results.bundle.entries.find((e) => e.file === 'dist/token/index.js')?.bytes ?? 0
  const works = results.scenarios['token-ours']?.outcome.kind === 'ok'
  const holds = results.bundle.tokenHoldsSdkClient ? 'holds SDK client code' : 'no SDK client code'
  return {
    target: '`dist/token/index.js` as small as it can be (no SDK client)',
    measured: `${formatBytes(bytes)}, ${holds}${works ? '' : '; the plugin is not implemented in this build'}`,
    verdict: !works ? 'n/a' : results.bundle.tokenHoldsSdkClient ? 'FAIL' : 'pass',
  }
}

/** Goal: the OIDC request, one STS call, then one concurrent batch: three levels. */
function criticalPath(full: ScenarioResult | undefined): TargetRow {
  const target = 'critical path: OIDC request → one STS call → one concurrent batch'
  const missing = unavailable(full)
  if (missing !== undefined || full === undefined)
    return { target, measured: missing ?? 'n/a', verdict: 'n/a' }
  const levels = sequentialLevels(full.calls)
  const [oidc, sts] = levels
  const isGoal =
    levels.length === 3 &&
    oidc?.length === 1 &&
    oidc[0]?.service === 'OIDC' &&
    sts?.length === 1 &&
    sts[0]?.service === 'STS'
  return {
    target,
    measured: `${full.calls.length} calls, ${levels.length} sequential: ${formatLevels(levels)}`,
    verdict: isGoal ? 'pass' : 'FAIL',
  }
}
