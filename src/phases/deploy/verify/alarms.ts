import type { AlarmSelector } from '../../../inputs/types.js'
import { messageOf } from '../../../lib/errors.js'
import { printable } from '../../../lib/printable.js'
import type { Runtime } from '../../../runner/runtime.js'
import type { CheckResult } from './types.js'

/** An alarm as DescribeAlarms answers it. */
export interface AlarmState {
  readonly name: string
  /** OK, ALARM or INSUFFICIENT_DATA. */
  readonly state: string
  readonly reason: string
}

/** The alarms the selectors name (CloudWatch DescribeAlarms, loaded only when alarms are asked for). */
export type AlarmReader = (selectors: readonly AlarmSelector[]) => Promise<readonly AlarmState[]>

export interface BakeDeps {
  readonly readAlarms: AlarmReader
  readonly runtime: Pick<Runtime, 'info' | 'now' | 'sleep'>
  readonly signal: AbortSignal
}

/** How often the alarms are read: a tenth of the bake, from 1 s to 30 s (CloudWatch evaluates each minute). */
export const pollIntervalMs = (bakeMs: number): number =>
  Math.min(30_000, Math.max(1_000, Math.round(bakeMs / 10)))

/** What one reading says: undefined while every alarm is fine, else why the release fails. Pure. */
export function judgeAlarms(
  selectors: readonly AlarmSelector[],
  alarms: readonly AlarmState[],
): string | undefined {
  const missing = selectors.filter((selector) =>
    selector.kind === 'name'
      ? !alarms.some((alarm) => alarm.name === selector.name)
      : !alarms.some((alarm) => alarm.name.startsWith(selector.prefix)),
  )
  if (missing.length > 0)
    return `no CloudWatch alarm ${missing.map((s) => (s.kind === 'name' ? s.name : `${s.prefix}*`)).join(', ')} in this region: check verify-alarms and aws-region`
  const firing = alarms.filter((alarm) => alarm.state === 'ALARM')
  if (firing.length === 0) return undefined
  return firing.map((alarm) => `alarm ${alarm.name} is in ALARM: ${alarm.reason}`).join('; ')
}

/**
 * Watches the alarms for `bakeMs` (at least one reading): any alarm in ALARM fails at once; a line of
 * progress at each reading. A reading CloudWatch refuses fails the check: the release is unverified.
 */
export async function bakeAlarms(
  selectors: readonly AlarmSelector[],
  bakeMs: number,
  deps: BakeDeps,
): Promise<Omit<CheckResult, 'seconds'>> {
  const { runtime } = deps
  const names = selectors.map((s) => (s.kind === 'name' ? s.name : `${s.prefix}*`)).join(', ')
  const base = { kind: 'alarms', name: `alarms ${names}` } as const
  const start = runtime.now()
  const interval = pollIntervalMs(bakeMs)
  for (;;) {
    let alarms: readonly AlarmState[]
    try {
      alarms = await deps.readAlarms(selectors)
    } catch (error) {
      if (deps.signal.aborted) break
      return { ...base, status: 'failed', detail: `CloudWatch DescribeAlarms failed: ${messageOf(error)}` }
    }
    const problem = judgeAlarms(selectors, alarms)
    if (problem !== undefined) return { ...base, status: 'failed', detail: printable(problem, 500) }
    const elapsed = runtime.now() - start
    const count = `${alarms.length} alarm${alarms.length === 1 ? '' : 's'}`
    runtime.info(
      `Baking: ${clock(elapsed)} of ${clock(bakeMs)}, ${count} not in ALARM (${printable(alarms.map((a) => `${a.name} ${a.state}`).join(', '), 300)})`,
    )
    if (elapsed >= bakeMs)
      return { ...base, status: 'passed', detail: `${count} not in ALARM for ${clock(bakeMs)}` }
    await runtime.sleep(Math.min(interval, bakeMs - elapsed), deps.signal)
    if (deps.signal.aborted) break
  }
  return {
    ...base,
    status: 'failed',
    detail: `stopped after ${clock(runtime.now() - start)} of ${clock(bakeMs)} (verify-timeout ran out, or the job was cancelled)`,
  }
}

/** `1:05`, `0:03`: minutes and seconds. */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
