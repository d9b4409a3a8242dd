import { totalBytes } from './bundle-files.js'
import { formatLevels, sequentialLevels } from './counting-proxy.js'
import { describeOutcome, type BenchResults, type ScenarioResult } from './results.js'
import type { ScenarioId } from './scenarios.js'
import { formatBytes, formatMs, formatRatio } from './stats.js'
import { methodSection } from './report-method.js'
import { rolloutSection } from './rollout.js'
import { healthySection } from './healthy-report.js'
import { evaluateTargets } from './targets.js'

/** Each timed row, and the AWS CLI row it is compared with. */
const ROWS: readonly { id: ScenarioId; versus?: ScenarioId; isOurs: boolean }[] = [
  { id: 'ours-full', versus: 'cli-route', isOurs: true },
  { id: 'cli-route', isOurs: false },
  { id: 'ours-auth', versus: 'cli-sts', isOurs: true },
  { id: 'cli-sts', isOurs: false },
  { id: 'token-ours', versus: 'token-cli', isOurs: true },
  { id: 'token-cli', isOurs: false },
  { id: 'token-ambient', versus: 'token-cli', isOurs: true },
  { id: 'cold-ours', isOurs: true },
  { id: 'node-bare', isOurs: false },
  { id: 'post-ours', isOurs: true },
]

const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const row = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`

export function renderReport(results: BenchResults): string {
  return [
    `# eks-deploy-action: benchmark`,
    '',
    `${results.date} · \`npm run bench\` · ${results.runs} interleaved runs per figure · ${results.machine.cpus} CPUs · Node ${results.machine.node} · ${results.cli.kind === 'found' ? results.cli.cli.version.split(' ')[0] : 'no AWS CLI'}`,
    '',
    ...timesTable(results),
    ...targetsTable(results),
    ...callsSection(results),
    ...rolloutSection(results.rollouts),
    ...healthySection(results.healthy),
    ...sizesSection(results),
    ...profilesSection(results),
    ...methodSection(results),
  ].join('\n')
}

function timesTable(results: BenchResults): string[] {
  const bare = results.scenarios['node-bare']?.summary
  const lines = [
    '## Times (whole processes)',
    '',
    row(['Measured', 'median', 'min', 'max', 'ours ÷ AWS CLI', "÷ `node -e ''`", 'CPU (median)']),
    row(['---', '--:', '--:', '--:', '--:', '--:', '--:']),
  ]
  for (const { id, versus, isOurs } of ROWS) {
    const result = results.scenarios[id]
    if (result === undefined) continue
    lines.push(
      row(timeCells(result, versus === undefined ? undefined : results.scenarios[versus], isOurs, bare)),
    )
    for (const [step, summary] of Object.entries(result.steps)) {
      lines.push(
        row([
          `  ↳ \`${step}\``,
          formatMs(summary.medianMs),
          formatMs(summary.minMs),
          formatMs(summary.maxMs),
          '',
          '',
          '',
        ]),
      )
    }
  }
  return [...lines, '']
}

function timeCells(
  result: ScenarioResult,
  versus: ScenarioResult | undefined,
  isOurs: boolean,
  bare: ScenarioResult['summary'],
): string[] {
  const { summary, outcome } = result
  if (outcome.kind !== 'ok' || summary === undefined)
    return [result.label, describeOutcome(result), '', '', '', '', '']
  return [
    result.label,
    formatMs(summary.medianMs),
    formatMs(summary.minMs),
    formatMs(summary.maxMs),
    isOurs ? formatRatio(summary, versus?.outcome.kind === 'ok' ? versus.summary : undefined) : '',
    isOurs && result.id !== 'node-bare' ? ratioTo(summary.medianMs, bare?.medianMs) : '',
    result.cpu === undefined ? '' : formatMs(result.cpu.medianMs),
  ]
}

const ratioTo = (ms: number, baseMs: number | undefined): string =>
  baseMs === undefined || baseMs === 0 ? '' : `${(ms / baseMs).toFixed(2)} (+${formatMs(ms - baseMs)})`

function targetsTable(results: BenchResults): string[] {
  return [
    '## Targets (issue 6)',
    '',
    row(['Target', 'Measured (medians)', 'Result']),
    row(['---', '---', '---']),
    ...evaluateTargets(results).map((t) =>
      row([t.target, t.measured, t.verdict === 'FAIL' ? '**FAIL**' : t.verdict]),
    ),
    '',
  ]
}

function callsSection(results: BenchResults): string[] {
  const lines = [
    '## AWS calls and the critical path',
    '',
    'Every request of a run goes through a counting proxy in front of moto_server and the OIDC endpoint; calls',
    'that overlap in time are one level, so the number of levels is how many round trips the run waits for.',
    '',
  ]
  for (const id of ['ours-full', 'ours-auth', 'cli-route'] as const) {
    const result = results.scenarios[id]
    if (result === undefined) continue
    lines.push(`**${result.label}**`, '')
    if (result.outcome.kind !== 'ok') {
      lines.push(describeOutcome(result), '')
      continue
    }
    lines.push(...callTable(result), '')
  }
  return lines
}

/** The calls of one run, timed from its process start (≈: the fixture reports spawn to close). */
function callTable(result: ScenarioResult): string[] {
  const { calls, span } = result
  const levels = sequentialLevels(calls)
  const origin = span?.startMs ?? Math.min(...calls.map((c) => c.startMs))
  const at = (ms: number): string => `${(ms - origin).toFixed(0)} ms`
  const lines = [
    `${calls.length} calls in ${levels.length} sequential level(s): ${formatLevels(levels)}.`,
    '',
    row(['Level', 'Call', 'starts at', 'takes', 'HTTP']),
    row(['--:', '---', '--:', '--:', '--:']),
  ]
  if (span !== undefined) lines.push(row(['', '(process start)', at(span.startMs), '', '']))
  levels.forEach((level, index) => {
    for (const call of level) {
      const took = `${(call.endMs - call.startMs).toFixed(0)} ms`
      lines.push(
        row([
          String(index + 1),
          `${call.service} ${call.operation}`,
          at(call.startMs),
          took,
          String(call.status),
        ]),
      )
    }
  })
  if (span !== undefined) lines.push(row(['', '(process exit)', at(span.endMs), '', '']))
  return lines
}

function sizesSection(results: BenchResults): string[] {
  const { bundle, loaded } = results
  const inspected = (['ours-full', 'ours-auth', 'cold-ours'] as const).filter(
    (id) => loaded[id] !== undefined,
  )
  const lines = [
    '## Bundle',
    '',
    'Chunks are the parts of the main bundle that ncc split off; a run loads them with `import()` when a phase needs them.',
    '',
    row(['File', 'Size', 'Holds', ...inspected.map((id) => `loaded by ${id}`)]),
    row(['---', '--:', '---', ...inspected.map(() => ':-:')]),
  ]
  for (const file of [...bundle.entries, ...bundle.chunks]) {
    const marks = inspected.map((id) => (loaded[id]?.some((f) => f.file === file.file) === true ? '✓' : ''))
    lines.push(row([file.file, formatBytes(file.bytes), file.holds.join(', '), ...marks]))
  }
  const all = formatBytes(totalBytes([...bundle.entries, ...bundle.chunks]))
  const totals = inspected.map((id) => `**${formatBytes(totalBytes(loaded[id] ?? []))}**`)
  lines.push(row(['**total**', all, '', ...totals]), '')
  return lines
}

function profilesSection(results: BenchResults): string[] {
  const lines = [
    '## Where the time goes (V8 CPU profiles, one untimed run each)',
    '',
    "Sampled from the first line of the bundle to the exit (Node's own bootstrap comes before). Machine load stretches the",
    'milliseconds; the shares are what to read. The profiles are in bench/results/*.cpuprofile (Chrome DevTools opens them).',
    '',
  ]
  const share = (ms: number, totalMs: number): string => `${((100 * ms) / totalMs).toFixed(0)} %`
  for (const { title, summary } of results.profiles) {
    lines.push(`**${title}**: ${formatMs(summary.totalMs)} sampled.`, '')
    lines.push(row(['Self time by place', 'ms', 'share']), row(['---', '--:', '--:']))
    for (const s of summary.byPlace) lines.push(row([s.name, s.ms.toFixed(1), share(s.ms, summary.totalMs)]))
    lines.push('', row(['Top functions by self time', 'ms', 'share']), row(['---', '--:', '--:']))
    for (const s of summary.topFunctions)
      lines.push(row([s.name, s.ms.toFixed(1), share(s.ms, summary.totalMs)]))
    lines.push('')
  }
  return lines
}
