import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../../fixtures/action-runner.js'

interface Step {
  readonly uses?: string
  readonly run?: string
}
interface Workflow {
  readonly name?: string
  readonly on?: unknown
  readonly jobs?: Record<string, { 'runs-on'?: string; steps?: Step[] }>
}

const DIR = path.join(ROOT, '.github', 'workflows')
const FILES = readdirSync(DIR).filter((file) => /\.ya?ml$/.test(file))

// GitHub cannot run here; this catches what a YAML or shape mistake would break before a push.
describe.each(FILES)('.github/workflows/%s', (file) => {
  const workflow = parse(readFileSync(path.join(DIR, file), 'utf8'), {
    strict: true,
    uniqueKeys: true,
  }) as Workflow

  test('has a name, triggers and jobs', () => {
    expect(typeof workflow.name).toBe('string')
    expect(workflow.on).toBeDefined()
    expect(Object.keys(workflow.jobs ?? {}).length).toBeGreaterThan(0)
  })

  test('every job has a runner and steps that either use an action or run a command', () => {
    for (const job of Object.values(workflow.jobs ?? {})) {
      expect(typeof job['runs-on']).toBe('string')
      expect(job.steps?.length).toBeGreaterThan(0)
      for (const step of job.steps ?? []) {
        expect((step.uses === undefined) !== (step.run === undefined)).toBe(true)
        if (step.uses !== undefined) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@\S+$/)
      }
    }
  })
})
