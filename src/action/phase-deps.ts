import type { PhaseDeps } from '../phases/phase.js'
import type { ActionDeps } from './deps.js'
import { CleanupRecorder } from './cleanup.js'
import type { AccountHider } from '../lib/masking.js'
import type { PhaseTimer } from './timing.js'

/** What every phase gets: the run's side effects, its cleanup record and its timer. */
export function makePhaseDeps(deps: ActionDeps, timer: PhaseTimer, accounts: AccountHider): PhaseDeps {
  return {
    runtime: deps.runtime,
    clients: deps.clients,
    httpGet: deps.httpGet,
    tokenPlugin: deps.tokenPlugin,
    accounts,
    cleanup: new CleanupRecorder(deps.runtime),
    ...timedUnder(undefined, timer),
  }
}

/** The deps of a phase whose parts (helm setup, pre-flight, ...) show under it on the timeline. */
export function partsOf(phase: string, deps: PhaseDeps, timer: PhaseTimer): PhaseDeps {
  return { ...deps, ...timedUnder(phase, timer) }
}

function timedUnder(parent: string | undefined, timer: PhaseTimer): Pick<PhaseDeps, 'time' | 'record'> {
  return {
    // A part without a phase (ecr-login, image check) is a phase of its own: its failure says so.
    time: (name, fn, hasFailed) =>
      parent === undefined
        ? timer.phase(name, fn, hasFailed === undefined ? {} : { hasFailed })
        : timer.time(name, fn, { parent, ...(hasFailed === undefined ? {} : { hasFailed }) }),
    record: (span) => {
      timer.record(span, parent)
    },
  }
}
