import { PHASE_REQUIREMENTS } from '../inputs/phase-requirements.js'
import type { Inputs, PhaseName } from '../inputs/types.js'
import { ActionError } from '../lib/errors.js'
import type { PlanContext } from '../phases/phase.js'
import type { GitHubParams } from '../github/plan.js'
import { PHASE_ROWS, type PhasePlans } from './phase-table.js'
import { planGitHub } from './plan-github.js'

/**
 * What runs, and with what: each phase's validated parameters (keyed as in the phase table), or
 * undefined when it does not run. A phase receives only what the plan proved, so it never checks an
 * input again.
 */
export type Plan = PhasePlans & {
  /** What the run reports to GitHub (comment-on-pr, github-deployment). */
  readonly github: GitHubParams | undefined
  /** Not wrong, but worth a look (a deploy that sets no image): the log and the summary say so. */
  readonly warnings: readonly string[]
}

export type PlanDeps = Pick<PlanContext, 'readEventPayload' | 'files'>

/**
 * Decides which phases run (`auto`: each phase whose inputs are present; a list: exactly those) and
 * hands each its parameters from its own plan, in the table's order. The image tag is derived there,
 * before any AWS call, so a tag that cannot be derived fails the step at once; so do a deploy with
 * no cluster to talk to and a local chart, values file or manifest that is not there.
 */
export async function planPhases(inputs: Inputs, deps: PlanDeps): Promise<Plan> {
  const warnings: string[] = []
  const context: PlanContext = {
    ...deps,
    selected: selectPhases(inputs),
    warn: (warning) => warnings.push(warning),
  }
  const planned: Partial<Record<string, unknown>> = {}
  // Each value is its own row's plan, typed there (PhasePlans is read off the rows).
  const plan = planned as PhasePlans
  for (const [key, row] of PHASE_ROWS) planned[key] = await row.plan(inputs, context, plan)
  const github = await planGitHub(inputs, {
    runsDeploy: plan.deploy !== undefined,
    runsTeardown: plan.teardown !== undefined,
    imageCommit: plan.ecr?.image?.tag.commit,
    readEventPayload: deps.readEventPayload,
  })
  return { ...plan, github, warnings }
}

/** The phases that run; a listed phase without its inputs, or nothing to do at all, fails here. */
function selectPhases(inputs: Inputs): ReadonlySet<PhaseName> {
  const { phases } = inputs
  if (phases.kind === 'list') {
    const missing = phases.phases.filter((phase) => !PHASE_REQUIREMENTS[phase].has(inputs))
    if (missing.length > 0) {
      throw new ActionError(
        `Input 'phases' asks for ${missing.join(', ')}, but ${missing.length > 1 ? 'they lack' : 'it lacks'} required inputs.`,
        {
          hint: `Add under \`with:\`:\n  ${missing.map((phase) => PHASE_REQUIREMENTS[phase].needs).join('\n  ')}`,
        },
      )
    }
    return new Set(phases.phases)
  }
  const selected = new Set(
    (Object.keys(PHASE_REQUIREMENTS) as PhaseName[]).filter((phase) => PHASE_REQUIREMENTS[phase].has(inputs)),
  )
  if (selected.size === 0) {
    throw new ActionError('Nothing to do: no phase has its inputs.', {
      hint: `Give at least one phase its inputs, for example:\n  ${Object.values(PHASE_REQUIREMENTS)
        .map((r) => r.needs)
        .join('\n  ')}`,
    })
  }
  return selected
}
