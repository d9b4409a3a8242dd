import type { Inputs, PhaseName } from '../inputs/types.js'
import { ActionError } from '../lib/errors.js'
import type { AuthParams } from '../phases/auth/index.js'
import { planAuth } from '../phases/auth/plan.js'
import type { DeployParams } from '../phases/deploy/index.js'
import { planDeploy } from '../phases/deploy/plan.js'
import type { EcrParams } from '../phases/ecr/index.js'
import { hasEcrInputs, planEcr } from '../phases/ecr/plan.js'
import type { KubeconfigParams } from '../phases/kubeconfig/index.js'
import { planKubeconfig } from '../phases/kubeconfig/plan.js'
import type { TeardownParams } from '../phases/teardown/index.js'
import { planTeardown } from '../phases/teardown/plan.js'
import type { VerifyParams } from '../phases/verify/index.js'
import { planVerify } from '../phases/verify/plan.js'
import type { GitHubParams } from '../github/plan.js'
import type { PlanFiles } from '../runner/plan-files.js'
import { planGitHub } from './plan-github.js'

/**
 * What runs, and with what: each phase's validated parameters, or undefined when it does not run.
 * A phase receives only what the plan proved, so it never checks an input again.
 */
export interface Plan {
  readonly auth: AuthParams | undefined
  /** Phase ecr-login and the image check (and locating the image for a deploy without either). */
  readonly ecr: EcrParams | undefined
  readonly kubeconfig: KubeconfigParams | undefined
  /** verify-image: the image's digest verified after the image check, before the deploy. */
  readonly verify: VerifyParams | undefined
  readonly deploy: DeployParams | undefined
  /** Phase deploy with `uninstall: true`: the release (and its namespace) removed instead. */
  readonly teardown: TeardownParams | undefined
  /** What the run reports to GitHub (comment-on-pr, github-deployment). */
  readonly github: GitHubParams | undefined
  /** Not wrong, but worth a look (a deploy that sets no image): the log and the summary say so. */
  readonly warnings: readonly string[]
}

export interface PlanDeps {
  /** Reads GITHUB_EVENT_PATH's payload; called only when the image tag depends on it. */
  readonly readEventPayload: () => Promise<unknown>
  /** Local charts, values files, manifests and kubeconfigs are looked at before any AWS call. */
  readonly files: PlanFiles
}

/** What each phase needs, and the YAML that gives it. */
const REQUIREMENTS: Readonly<Record<PhaseName, { has: (inputs: Inputs) => boolean; needs: string }>> = {
  auth: {
    has: (i) => i.auth.roleToAssume !== undefined,
    needs: 'role-to-assume: arn:aws:iam::123456789012:role/deploy',
  },
  'ecr-login': {
    has: hasEcrInputs,
    needs: 'ecr-repository: shop/api   (or registries: 123456789012)',
  },
  kubeconfig: { has: (i) => i.kubeconfig.clusterName !== undefined, needs: 'cluster-name: my-cluster' },
  deploy: {
    has: (i) =>
      i.deploy.release !== undefined &&
      (i.deploy.chart !== undefined || i.deploy.manifests.length > 0 || i.teardown.shouldUninstall),
    needs: 'release: my-app\n  chart: ./charts/my-app   (or manifests: k8s/, or uninstall: true)',
  },
}

/**
 * Decides which phases run (`auto`: each phase whose inputs are present; a list: exactly those) and
 * hands each its parameters. The image tag is derived here, before any AWS call, so a tag that
 * cannot be derived fails the step at once; so do a deploy with no cluster to talk to and a local
 * chart, values file or manifest that is not there.
 */
export async function planPhases(inputs: Inputs, deps: PlanDeps): Promise<Plan> {
  const selected = selectPhases(inputs)
  const roleArn = inputs.auth.roleToAssume
  const clusterName = inputs.kubeconfig.clusterName
  const runsKubeconfig = selected.has('kubeconfig') && clusterName !== undefined
  const deployPlan = selected.has('deploy')
    ? await planDeploy(inputs, deps.files, runsKubeconfig)
    : { deploy: undefined, warnings: [] }
  const teardown = selected.has('deploy') ? await planTeardown(inputs, deps.files, runsKubeconfig) : undefined
  // A teardown deploys no image.
  const ecrSelection = {
    isLogin: selected.has('ecr-login'),
    isDeploy: selected.has('deploy') && !inputs.teardown.shouldUninstall,
  }
  const ecr = await planEcr(inputs, ecrSelection, deps.readEventPayload)
  const plan: Omit<Plan, 'github' | 'warnings'> = {
    auth: selected.has('auth') && roleArn !== undefined ? planAuth(inputs, roleArn) : undefined,
    ecr,
    kubeconfig: runsKubeconfig ? planKubeconfig(inputs, clusterName) : undefined,
    verify: planVerify(inputs, ecr?.image),
    deploy: deployPlan.deploy,
    teardown,
  }
  const github = await planGitHub(inputs, {
    runsDeploy: plan.deploy !== undefined,
    runsTeardown: plan.teardown !== undefined,
    imageCommit: plan.ecr?.image?.tag.commit,
    readEventPayload: deps.readEventPayload,
  })
  return { ...plan, github, warnings: deployPlan.warnings }
}

/** The phases that run; a listed phase without its inputs, or nothing to do at all, fails here. */
function selectPhases(inputs: Inputs): ReadonlySet<PhaseName> {
  const { phases } = inputs
  if (phases.kind === 'list') {
    const missing = phases.phases.filter((phase) => !REQUIREMENTS[phase].has(inputs))
    if (missing.length > 0) {
      throw new ActionError(
        `Input 'phases' asks for ${missing.join(', ')}, but ${missing.length > 1 ? 'they lack' : 'it lacks'} required inputs.`,
        { hint: `Add under \`with:\`:\n  ${missing.map((phase) => REQUIREMENTS[phase].needs).join('\n  ')}` },
      )
    }
    return new Set(phases.phases)
  }
  const selected = new Set(
    (Object.keys(REQUIREMENTS) as PhaseName[]).filter((phase) => REQUIREMENTS[phase].has(inputs)),
  )
  if (selected.size === 0) {
    throw new ActionError('Nothing to do: no phase has its inputs.', {
      hint: `Give at least one phase its inputs, for example:\n  ${Object.values(REQUIREMENTS)
        .map((r) => r.needs)
        .join('\n  ')}`,
    })
  }
  return selected
}
