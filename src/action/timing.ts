import type { Runtime } from '../runner/runtime.js'

export interface PhaseTiming {
  readonly phase: string
  readonly milliseconds: number
}

/** Measures how long each phase took, for the job summary. */
export class PhaseTimer {
  readonly timings: PhaseTiming[] = []

  constructor(private readonly clock: Pick<Runtime, 'now'>) {}

  async time<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    const started = this.clock.now()
    try {
      return await fn()
    } finally {
      this.timings.push({ phase, milliseconds: this.clock.now() - started })
    }
  }
}
