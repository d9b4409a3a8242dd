import { ActionError } from '../lib/errors.js'
import { printable } from '../lib/printable.js'
import { InputProblems, type ReadInput } from './problems.js'
import type { RunnerContext } from '../runner/context.js'
import { PHASE_NAMES, type Inputs, type PhaseName, type PhaseSelection } from './types.js'
import { checkPartitions, readRegion } from './regions.js'
import { readAuth } from './auth.js'
import { readEcr } from './ecr.js'
import { readDeploy } from './deploy.js'
import { readKubeconfig } from './kubeconfig.js'
import { readGitHub } from './github.js'
import { readTeardown } from './teardown.js'
import { readImageVerify } from './image-verify.js'
import { readVerify } from './verify.js'
import { unknownInputProblems } from './unknown.js'

/** Parses and validates every input; throws one ActionError listing every problem. Pure. */
export function parseInputs(read: ReadInput, context: RunnerContext): Inputs {
  const p = new InputProblems(read)
  // First: a misspelled input is usually why another input looks missing.
  p.problems.push(...unknownInputProblems(context.env))
  const region = readRegion(p, context.ambientRegion)
  const deploy = readDeploy(p)
  const parts = {
    phases: readPhases(p),
    region,
    auth: readAuth(p, context),
    ecr: readEcr(p),
    kubeconfig: readKubeconfig(p),
    deploy,
    teardown: readTeardown(p, deploy),
    github: readGitHub(p),
  }
  const inputs: Inputs = {
    ...parts,
    verify: readVerify(p, parts.github.environmentUrl),
    imageVerify: readImageVerify(p),
    context,
    warnings: p.warnings,
  }
  checkPartitions(p, inputs)
  if (p.problems.length > 0) {
    const hasUnknown = p.problems.some((problem) => problem.startsWith('Unknown input'))
    throw new ActionError(`Invalid input${p.problems.length > 1 ? 's' : ''}:\n- ${p.problems.join('\n- ')}`, {
      hint: `Fix the inputs under \`with:\` in the workflow step; action.yml documents every input and its format.${
        hasUnknown
          ? ' Every INPUT_* variable of the step reaches the action as an input: rename the key under `with:` (or an `env:` variable named INPUT_...).'
          : ''
      }`,
    })
  }
  return inputs
}

function readPhases(p: InputProblems): PhaseSelection {
  const items = p.list('phases')
  if (items.length === 0 || (items.length === 1 && items[0]?.toLowerCase() === 'auto'))
    return { kind: 'auto' }
  const phases: PhaseName[] = []
  for (const item of items) {
    const phase = PHASE_NAMES.find((name) => name === item.toLowerCase())
    if (phase === undefined) {
      p.add(
        'phases',
        p.raw('phases'),
        `'${printable(item, 40)}' is not a phase. Use 'auto' or a comma list of ${PHASE_NAMES.join(', ')}.`,
      )
    } else if (!phases.includes(phase)) {
      phases.push(phase)
    }
  }
  return { kind: 'list', phases }
}
