import { ActionError } from './errors.js'
import type { Inputs, PhaseName } from './inputs.js'

export interface Plan {
  readonly auth: boolean
  readonly ecrLogin: boolean
  readonly kubeconfig: boolean
  readonly deploy: boolean
  /** Check with ECR that the image exists before deploying. */
  readonly checkImage: boolean
}

/** What each phase needs, and the YAML that gives it. */
const REQUIREMENTS: Readonly<Record<PhaseName, { has: (inputs: Inputs) => boolean; needs: string }>> = {
  auth: {
    has: (i) => i.auth.roleToAssume !== undefined,
    needs: 'role-to-assume: arn:aws:iam::123456789012:role/deploy',
  },
  'ecr-login': {
    has: (i) => i.ecr.repository !== undefined || i.ecr.registries.length > 0,
    needs: 'ecr-repository: shop/api   (or registries: 123456789012)',
  },
  kubeconfig: { has: (i) => i.kubeconfig.clusterName !== undefined, needs: 'cluster-name: my-cluster' },
  deploy: {
    has: (i) => i.deploy.release !== undefined && i.deploy.chart !== undefined,
    needs: 'release: my-app\n  chart: ./charts/my-app',
  },
}

/** Decides which phases run: `auto` runs each phase whose inputs are present; a list runs exactly those. */
export function planPhases(inputs: Inputs): Plan {
  const selected = (phase: PhaseName): boolean =>
    inputs.phases.kind === 'auto' ? REQUIREMENTS[phase].has(inputs) : inputs.phases.phases.includes(phase)

  if (inputs.phases.kind === 'list') {
    const missing = inputs.phases.phases.filter((phase) => !REQUIREMENTS[phase].has(inputs))
    if (missing.length > 0) {
      throw new ActionError(
        `Input 'phases' asks for ${missing.join(', ')}, but ${missing.length > 1 ? 'they lack' : 'it lacks'} required inputs.`,
        { hint: `Add under \`with:\`:\n  ${missing.map((phase) => REQUIREMENTS[phase].needs).join('\n  ')}` },
      )
    }
  }
  const deploy = selected('deploy')
  const ecrLogin = selected('ecr-login')
  const plan = {
    auth: selected('auth'),
    ecrLogin,
    kubeconfig: selected('kubeconfig'),
    deploy,
    checkImage: shouldCheckImage(inputs, { deploy, ecrLogin }),
  }
  if (!plan.auth && !plan.ecrLogin && !plan.kubeconfig && !plan.deploy) {
    throw new ActionError('Nothing to do: no phase has its inputs.', {
      hint: `Give at least one phase its inputs, for example:\n  ${Object.values(REQUIREMENTS)
        .map((r) => r.needs)
        .join('\n  ')}`,
    })
  }
  return plan
}

function shouldCheckImage(inputs: Inputs, plan: { deploy: boolean; ecrLogin: boolean }): boolean {
  if (inputs.ecr.repository === undefined) return false
  if (inputs.ecr.requireImage === 'auto') return plan.deploy
  return inputs.ecr.requireImage
}
