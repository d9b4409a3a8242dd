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
    entrySize(results),
    loadedSize(results),
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

/** The target, on the entry file alone. */
function entrySize(results: BenchResults): TargetRow {
  const entry = results.bundle.entries.find((e) => e.file === 'dist/index.js')?.bytes ?? 0
  return {
    target: '`dist/index.js` ≤ 1.5 MB',
    measured: formatBytes(entry),
    verdict: entry <= LIMIT_BYTES ? 'pass' : 'FAIL',
  }
}

/**
 * The same limit on what a full run really loads: with ncc's chunks the entry alone can be small
 * while a run still parses every chunk its phases import. A stricter reading than the issue's.
 */
function loadedSize(results: BenchResults): TargetRow {
  const target = 'what a full run loads (`dist/index.js` + its chunks) ≤ 1.5 MB (stricter reading)'
  const full: readonly BundleFile[] | undefined = results.loaded['ours-full']
  const auth: readonly BundleFile[] | undefined = results.loaded['ours-auth']
  if (full === undefined) {
    const authBytes = auth === undefined ? '' : `; an auth-only run loads ${formatBytes(totalBytes(auth))}`
    return { target, measured: `full run n/a${authBytes}`, verdict: 'n/a' }
  }
  const bytes = totalBytes(full)
  return {
    target,
    measured: `${formatBytes(bytes)} in ${full.length} files`,
    verdict: bytes <= LIMIT_BYTES ? 'pass' : 'FAIL',
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
