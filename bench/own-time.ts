/**
 * The action's own time in a run, from the timeline on its job summary: the mermaid chart's bars carry
 * each span's start and end in epoch milliseconds (the action's clock is Date.now(), as is the bench's).
 */

/** Milliseconds by part: `own` (wall minus helm upgrade), `helm upgrade`, and each phase and part. */
export type OwnTime = Record<string, number>

interface ChartSpan {
  readonly name: string
  readonly startMs: number
  readonly endMs: number
}

/** `  helm upgrade 4.12 s :1765000000000, 1765000004120` (failed bars carry `crit, `). */
const BAR = /^ {2}(.+?) \d+\.\d\d s :(?:crit, )?(\d+), (\d+)$/gm

export function chartSpans(summary: string): ChartSpan[] {
  return [...summary.matchAll(BAR)].map((match) => ({
    name: match[1] ?? '',
    startMs: Number(match[2]),
    endMs: Number(match[3]),
  }))
}

/**
 * own = wall − helm upgrade + helm held: helm starts ahead of the pre-flight (phases/deploy/ahead.ts),
 * so its bar begins before the action's work ends; the time it then waited at its first request for
 * the action (the `helm held` bar, absent when it did not wait) is the action's, not helm's.
 * `start → first span` and `last span → exit` are the process's time outside every span; each span's
 * own duration is kept under its name.
 */
export function readTimeline(
  summary: string,
  process: { readonly startMs: number; readonly endMs: number },
): OwnTime | undefined {
  const spans = chartSpans(summary)
  const helm = spans.find((span) => span.name === 'helm upgrade')
  if (helm === undefined || spans.length === 0) return undefined
  const wall = process.endMs - process.startMs
  const helmMs = helm.endMs - helm.startMs
  const held = spans.find((span) => span.name === 'helm held')
  const heldMs = held === undefined ? 0 : held.endMs - held.startMs
  const times: OwnTime = {
    own: wall - helmMs + heldMs,
    'process start → first span': Math.min(...spans.map((s) => s.startMs)) - process.startMs,
    'last span → process exit': process.endMs - Math.max(...spans.map((s) => s.endMs)),
  }
  for (const span of spans) times[span.name] = span.endMs - span.startMs
  return times
}
