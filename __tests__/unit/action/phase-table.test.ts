import { PHASE_ROWS, STAGES, type PhaseKey } from '../../../src/action/phase-table.js'
import type { Plan } from '../../../src/action/plan.js'
import type { RunResults } from '../../../src/action/results.js'

// "Add a phase" (CONTRIBUTING): its folder, its inputs, one row of the table, action.yml. The plan's
// and the results' phase keys are read off the table, so a new row needs no line elsewhere: these
// types fail `npm run typecheck` the day a phase is named by hand again.
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type PhaseKeysOf<T> = Exclude<keyof T, 'github' | 'warnings' | 'inputs' | 'record'>
const planKeysAreTheTable: Equal<PhaseKeysOf<Plan>, PhaseKey> = true
const resultKeysAreTheTable: Equal<PhaseKeysOf<RunResults>, PhaseKey> = true

test('the plan and the results have exactly the phase keys of the table', () => {
  expect([planKeysAreTheTable, resultKeysAreTheTable]).toEqual([true, true])
})

test('every row runs in a stage and says how the timeline shows it', () => {
  for (const [key, row] of PHASE_ROWS) {
    expect({ key, stage: STAGES.includes(row.stage) }).toEqual({ key, stage: true })
    expect(['whole', 'with-parts', 'parts-only']).toContain(row.timeline)
  }
  // Auth alone in the first stage: every later phase signs with its credentials.
  expect(PHASE_ROWS.filter(([, row]) => row.stage === STAGES[0]).map(([key]) => key)).toEqual(['auth'])
})

test('a row that waits in its stage waits for an earlier row of the same stage', () => {
  const keys = PHASE_ROWS.map(([key]) => key)
  const waits = PHASE_ROWS.flatMap(([key, row]) =>
    row.after === undefined ? [] : [{ key, row, after: row.after }],
  )
  expect(waits.map(({ key, after }) => [key, after])).toEqual([['verify', 'ecr']])
  for (const { key, row, after } of waits) {
    expect(keys.indexOf(after)).toBeLessThan(keys.indexOf(key))
    expect(PHASE_ROWS.find(([other]) => other === after)?.[1].stage).toBe(row.stage)
  }
})
