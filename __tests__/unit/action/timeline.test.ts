import { ganttChart, timelineMarkdown } from '../../../src/action/timeline.js'
import { PhaseTimer, type Span } from '../../../src/action/timing.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'
import { PhaseFailure } from '../../../src/lib/errors.js'

const T0 = 1_700_000_000_000
const span = (name: string, start: number, end: number, extra: Partial<Span> = {}): Span => ({
  name,
  parent: undefined,
  startMs: T0 + start,
  endMs: T0 + end,
  isFailed: false,
  ...extra,
})

// A run as the orchestrator records it: the three AWS parts side by side after auth, then the
// deploy with its parts, fail-fast and the rollback.
const RUN: Span[] = [
  span('inputs', 0, 2),
  span('plan', 2, 3),
  span('auth', 3, 610),
  span('ecr-login', 610, 900),
  span('image check', 610, 1_020),
  span('kubeconfig', 610, 800),
  span('deploy', 1_020, 31_500, { isFailed: true }),
  span('helm setup', 1_020, 1_400, { parent: 'deploy' }),
  span('pre-flight', 1_400, 2_100, { parent: 'deploy' }),
  span('helm upgrade until fail-fast', 2_100, 29_000, { parent: 'deploy', isFailed: true }),
  span('rollback', 29_000, 31_400, { parent: 'deploy' }),
]

test('the gantt chart: a section per phase with its parts, at epoch milliseconds, failures in red', () => {
  expect(ganttChart(RUN)).toEqual([
    '```mermaid',
    'gantt',
    '  dateFormat x',
    '  axisFormat %H:%M:%S',
    '  section inputs',
    `  inputs 0.00 s :${T0}, ${T0 + 2}`,
    '  section plan',
    `  plan 0.00 s :${T0 + 2}, ${T0 + 3}`,
    '  section auth',
    `  auth 0.61 s :${T0 + 3}, ${T0 + 610}`,
    '  section ecr-login',
    `  ecr-login 0.29 s :${T0 + 610}, ${T0 + 900}`,
    '  section image check',
    `  image check 0.41 s :${T0 + 610}, ${T0 + 1_020}`,
    '  section kubeconfig',
    `  kubeconfig 0.19 s :${T0 + 610}, ${T0 + 800}`,
    '  section deploy',
    `  deploy 30.48 s :crit, ${T0 + 1_020}, ${T0 + 31_500}`,
    `  helm setup 0.38 s :${T0 + 1_020}, ${T0 + 1_400}`,
    `  pre-flight 0.70 s :${T0 + 1_400}, ${T0 + 2_100}`,
    `  helm upgrade until fail-fast 26.90 s :crit, ${T0 + 2_100}, ${T0 + 29_000}`,
    `  rollback 2.40 s :${T0 + 29_000}, ${T0 + 31_400}`,
    '```',
  ])
})

test('a bar of no duration still gets one millisecond, or mermaid draws nothing', () => {
  expect(ganttChart([span('inputs', 5, 5)])).toContain(`  inputs 0.00 s :${T0 + 5}, ${T0 + 6}`)
})

test('the table beside the chart: start offsets, durations, results', () => {
  const markdown = timelineMarkdown(RUN)
  expect(markdown).toContain('| Phase | Started | Took | Result |')
  expect(markdown).toContain('| image check | +0.61 s | 0.41 s | ok |')
  expect(markdown).toContain('| deploy: rollback | +29.00 s | 2.40 s | ok |')
  expect(markdown).toContain('| deploy: helm upgrade until fail-fast | +2.10 s | 26.90 s | failed |')
  expect(timelineMarkdown([])).toBe('')
})

describe('PhaseTimer', () => {
  test('records start and end, and a throw or a failed result as failed', async () => {
    const runtime = new FakeRuntime()
    const timer = new PhaseTimer(runtime)
    await timer.time('a', async () => {
      runtime.clock += 250
      return Promise.resolve({ failure: undefined })
    })
    await timer.time('b', () => Promise.resolve<{ failure?: string }>({ failure: 'x' }), {
      hasFailed: (r) => r.failure !== undefined,
      parent: 'p',
    })
    await expect(
      timer.time('c', () => {
        runtime.clock += 5
        return Promise.reject(new Error('no'))
      }),
    ).rejects.toThrow('no')
    const t = runtime.clock
    expect(timer.spans).toEqual([
      { name: 'a', parent: undefined, startMs: t - 255, endMs: t - 5, isFailed: false },
      { name: 'b', parent: 'p', startMs: t - 5, endMs: t - 5, isFailed: true },
      { name: 'c', parent: undefined, startMs: t - 5, endMs: t, isFailed: true },
    ])
  })

  test('a phase marks what it throws with its name; an error a part already marked keeps its own', async () => {
    const timer = new PhaseTimer(new FakeRuntime())
    const thrown = new Error('no cluster')
    const failure = await timer.phase('kubeconfig', () => Promise.reject(thrown)).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(PhaseFailure)
    expect(failure).toMatchObject({ phases: ['kubeconfig'], message: 'no cluster', cause: thrown })
    const outer = await timer
      .phase('ecr-login', () => Promise.reject(failure as Error))
      .catch((e: unknown) => e)
    expect(outer).toBe(failure)
    expect(timer.spans.map((span) => [span.name, span.isFailed])).toEqual([
      ['kubeconfig', true],
      ['ecr-login', true],
    ])
  })
})
