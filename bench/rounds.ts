import { createChildCpuClock } from './child-cpu.js'
import type { Outcome } from './judge.js'
import type { ScenarioResult } from './results.js'
import type { BenchContext, Measurement, Scenario, ScenarioId } from './scenarios.js'
import { formatMs, summarize, type Summary } from './stats.js'

interface Collected {
  outcome: Outcome | { kind: 'skipped'; reason: string }
  samples: number[]
  cpuSamples: number[]
  steps: Record<string, number[]>
  calls: Measurement['calls']
  span: Measurement['span']
}

/**
 * One untimed warm-up round (it also finds what this build cannot do: those scenarios are not
 * timed), then `runs` rounds; each round runs every scenario once, starting one further along,
 * so slow drift of the machine spreads over all of them.
 */
export async function measureAll(
  ctx: BenchContext,
  scenarios: readonly Scenario[],
  runs: number,
  log: (message: string) => void,
): Promise<Partial<Record<ScenarioId, ScenarioResult>>> {
  const collected = new Map<Scenario, Collected>()
  for (const scenario of scenarios) {
    if (scenario.needsCli && ctx.cli === undefined) {
      collected.set(scenario, {
        outcome: { kind: 'skipped', reason: 'no AWS CLI' },
        samples: [],
        cpuSamples: [],
        steps: {},
        calls: [],
        span: undefined,
      })
      continue
    }
    const warm = await scenario.run(ctx)
    collected.set(scenario, {
      outcome: warm.outcome,
      samples: [],
      cpuSamples: [],
      steps: {},
      calls: warm.calls,
      span: warm.span,
    })
    log(
      `warm-up ${scenario.id}: ${warm.outcome.kind === 'ok' ? formatMs(warm.ms) : `${warm.outcome.kind}: ${warm.outcome.reason}`}`,
    )
  }
  const timed = scenarios.filter((s) => collected.get(s)?.outcome.kind === 'ok')
  const childCpu = createChildCpuClock()
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < timed.length; i++) {
      const scenario = timed[(i + round) % timed.length]
      const entry = scenario === undefined ? undefined : collected.get(scenario)
      if (scenario === undefined || entry === undefined || entry.outcome.kind !== 'ok') continue
      const cpuBefore = childCpu?.()
      const measurement = await scenario.run(ctx)
      record(entry, measurement, cpuBefore === undefined ? undefined : (childCpu?.() ?? 0) - cpuBefore)
    }
    log(`round ${round + 1}/${runs} done`)
  }
  const results: Partial<Record<ScenarioId, ScenarioResult>> = {}
  for (const [scenario, entry] of collected) {
    const steps: Record<string, Summary> = {}
    for (const [step, samples] of Object.entries(entry.steps)) {
      const summary = summarize(samples)
      if (summary !== undefined) steps[step] = summary
    }
    results[scenario.id] = {
      id: scenario.id,
      label: scenario.label,
      outcome: entry.outcome,
      summary: summarize(entry.samples),
      cpu: summarize(entry.cpuSamples),
      steps,
      calls: entry.calls,
      span: entry.span,
    }
  }
  return results
}

/** A run that fails after a good warm-up makes the whole figure a failure: no half-measured medians. */
function record(entry: Collected, measurement: Measurement, cpuMs: number | undefined): void {
  if (measurement.outcome.kind !== 'ok') {
    entry.outcome = measurement.outcome
    return
  }
  entry.samples.push(measurement.ms)
  if (cpuMs !== undefined) entry.cpuSamples.push(cpuMs)
  entry.calls = measurement.calls
  entry.span = measurement.span
  for (const [step, ms] of Object.entries(measurement.steps ?? {})) (entry.steps[step] ??= []).push(ms)
}
