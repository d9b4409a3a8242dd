import type { HealthyResults, HealthyVariant } from './healthy-deploy.js'
import { formatMs, type Summary } from './stats.js'

const OWN_TARGET_MS = 600
const SPEEDUP_TARGET = 1.5

const cells = (summary: Summary | undefined): string =>
  summary === undefined
    ? 'no sample'
    : `${formatMs(summary.medianMs)} | ${formatMs(summary.minMs)} | ${formatMs(summary.maxMs)}`

/** The section of the report: wall times side by side, the action's own time and where it goes, the targets. */
export function healthySection(results: HealthyResults): string[] {
  const lines = ['## A healthy deploy end to end, on the EKS lab', '']
  if (results.skipped !== undefined) return [...lines, `Skipped: ${results.skipped}.`, '']
  lines.push('| Deploy | median | min | max |', '| --- | --: | --: | --: |')
  for (const variant of results.variants) {
    lines.push(
      `| ${variant.label} | ${variant.failed === undefined ? cells(variant.wall) : `failed: ${variant.failed.replace(/\|/g, '\\|').replace(/\n/g, ' ')} | | `} |`,
    )
    for (const [name, summary] of Object.entries(variant.steps))
      lines.push(`|   ↳ \`${name}\` | ${cells(summary)} |`)
  }
  for (const variant of results.variants.filter((v) => v.own !== undefined)) {
    lines.push(
      '',
      `Where the time of ${variant.label} goes (medians of each part; phases contain their parts):`,
      '',
    )
    lines.push('| Part | median | min | max |', '| --- | --: | --: | --: |')
    for (const [name, summary] of Object.entries(variant.own ?? {}))
      lines.push(`| ${name === 'own' ? '**own time (wall − helm upgrade)**' : name} | ${cells(summary)} |`)
  }
  lines.push('', ...targets(results.variants), '')
  lines.push(
    `${results.runs} interleaved rounds (each round upgrades every release to a new image tag: 2 pods roll). Wall`,
    'time from spawn to exit of the action, and of the glue job from its first process to the end of its last. The',
    "action's own time: its wall time minus the `helm upgrade` bar of its job summary's timeline (spawn to exit of",
    'helm). `BENCH_DEPLOY=0` skips this section; `BENCH_DEPLOY_RUNS=N` sets the rounds (default 5);',
    '`BENCH_BEFORE_DIST=<dir>` adds another build of the action (a copy of an older dist/) to the rounds.',
    '',
  )
  return lines
}

function targets(variants: readonly HealthyVariant[]): string[] {
  const ours = variants[0]
  const glue = variants.find((v) => v.own === undefined)
  const own = ours?.own?.own
  const lines = ['| Target (issue 22) | measured | verdict |', '| --- | --- | --- |']
  lines.push(
    own === undefined
      ? `| own time ≤ ${formatMs(OWN_TARGET_MS)} | n/a | n/a |`
      : `| own time ≤ ${formatMs(OWN_TARGET_MS)} | ${formatMs(own.medianMs)} | ${own.medianMs <= OWN_TARGET_MS ? 'pass' : 'FAIL'} |`,
  )
  const a = ours?.wall
  const b = glue?.wall
  lines.push(
    a === undefined || b === undefined
      ? `| whole step ≥ ${SPEEDUP_TARGET}× faster than the glue job | n/a | n/a |`
      : `| whole step ≥ ${SPEEDUP_TARGET}× faster than the glue job | ${(b.medianMs / a.medianMs).toFixed(2)}× (${formatMs(a.medianMs)} vs ${formatMs(b.medianMs)}) | ${b.medianMs / a.medianMs >= SPEEDUP_TARGET ? 'pass' : 'FAIL'} |`,
  )
  return lines
}
