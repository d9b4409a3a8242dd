import { ActionError } from '../lib/errors.js'
import { InputProblems, type ReadInput } from './problems.js'
import type { RunnerContext } from '../runner/context.js'
import { PHASE_NAMES, type Inputs, type PhaseName, type PhaseSelection } from './types.js'
import { REGION_PATTERN } from './patterns.js'
import { readAuth } from './auth.js'
import { readEcr } from './ecr.js'
import { readDeploy } from './deploy.js'
import { readKubeconfig } from './kubeconfig.js'
import { readGitHub } from './github.js'
import { readTeardown } from './teardown.js'

/** Parses and validates every input; throws one ActionError listing every problem. Pure. */
export function parseInputs(read: ReadInput, context: RunnerContext): Inputs {
  const p = new InputProblems(read)
  const deploy = readDeploy(p)
  const inputs: Inputs = {
    phases: readPhases(p),
    region: readRegion(p, context),
    auth: readAuth(p, context),
    ecr: readEcr(p),
    kubeconfig: readKubeconfig(p),
    deploy,
    teardown: readTeardown(p, deploy),
    github: readGitHub(p),
    context,
  }
  if (p.problems.length > 0) {
    throw new ActionError(`Invalid input${p.problems.length > 1 ? 's' : ''}:\n- ${p.problems.join('\n- ')}`, {
      hint: 'Fix the inputs under `with:` in the workflow step; action.yml documents every input and its format.',
    })
  }
  return inputs
}

function readPhases(p: InputProblems): PhaseSelection {
  const raw = p.text('phases')
  if (raw === '' || raw.toLowerCase() === 'auto') return { kind: 'auto' }
  const phases: PhaseName[] = []
  for (const item of p.list('phases')) {
    const phase = PHASE_NAMES.find((name) => name === item.toLowerCase())
    if (phase === undefined) {
      p.add(
        'phases',
        raw,
        `'${item}' is not a phase. Use 'auto' or a comma list of ${PHASE_NAMES.join(', ')}.`,
      )
    } else if (!phases.includes(phase)) {
      phases.push(phase)
    }
  }
  return { kind: 'list', phases }
}

function readRegion(p: InputProblems, context: RunnerContext): string {
  const input = p.optional('aws-region')
  const region = input ?? context.ambientRegion
  if (region === undefined) {
    p.problems.push(
      "Input 'aws-region' is required (and neither AWS_REGION nor AWS_DEFAULT_REGION is set). Add `aws-region: us-east-1` (your region) under `with:`.",
    )
    return ''
  }
  if (!REGION_PATTERN.test(region)) {
    const what =
      input === undefined
        ? 'is empty, and the region taken from AWS_REGION or AWS_DEFAULT_REGION is not an AWS region code such as us-east-1: fix that variable, or set aws-region.'
        : 'is not an AWS region code such as us-east-1 or eu-central-1.'
    p.add('aws-region', region, what)
  }
  return region
}
