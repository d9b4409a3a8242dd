import { failedIn } from '../lib/errors.js'
import type { PhaseSpan } from '../phases/phase.js'
import type { Runtime } from '../runner/runtime.js'

/** One stretch of the run as it happened: what, from when to when (clock ms), and whether it failed. */
export interface Span extends PhaseSpan {
  /** The phase it is part of (`deploy` for `pre-flight`); undefined for a phase itself. */
  readonly parent: string | undefined
}

/**
 * Records when each phase (and each part of one) started and ended, for the job summary's timeline:
 * phases that ran side by side overlap there, as they did.
 */
export class PhaseTimer {
  readonly spans: Span[] = []

  constructor(private readonly clock: Pick<Runtime, 'now'>) {}

  /** Times `fn`; it counts as failed when it throws, or when `hasFailed` says so of its result. */
  async time<T>(
    name: string,
    fn: () => Promise<T>,
    options: { readonly parent?: string; readonly hasFailed?: (result: T) => boolean } = {},
  ): Promise<T> {
    const startMs = this.clock.now()
    let isFailed = true
    try {
      const result = await fn()
      isFailed = options.hasFailed?.(result) ?? false
      return result
    } finally {
      this.record({ name, startMs, endMs: this.clock.now(), isFailed }, options.parent)
    }
  }

  /** Times a phase, as `time` does; what it throws is marked with its name (a PhaseFailure). */
  async phase<T>(
    name: string,
    fn: () => Promise<T>,
    options: { readonly hasFailed?: (result: T) => boolean } = {},
  ): Promise<T> {
    return this.time(
      name,
      async () => {
        try {
          return await fn()
        } catch (error) {
          throw failedIn(name, error)
        }
      },
      options,
    )
  }

  record(span: PhaseSpan, parent?: string): void {
    this.spans.push({ ...span, parent })
  }
}
