import { resolveStsEndpoint } from '../eks-token/presign.js'
import type { Inputs, PhaseName, RegistryRef } from '../inputs/types.js'
import { ActionError } from '../lib/errors.js'
import type { AuthParams } from '../phases/auth/index.js'
import type { DeployParams } from '../phases/deploy/index.js'
import { userDockerConfigDir } from '../phases/ecr/docker-config.js'
import type { EcrParams, ImagePlan } from '../phases/ecr/index.js'
import { needsEventPayload, resolveImageTag } from '../phases/ecr/image-tag.js'
import { locateImageRegistry } from '../phases/ecr/registry.js'
import { chartEcrRegistry } from '../inputs/ecr.js'
import type { KubeconfigParams } from '../phases/kubeconfig/index.js'
import type { TeardownParams } from '../phases/teardown/index.js'
import type { GitHubParams } from '../github/plan.js'
import { checkClusterReachable } from '../phases/deploy/plan-checks.js'
import { planDeploy } from '../phases/deploy/plan.js'
import type { PlanFiles } from './plan-files.js'
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
    has: (i) =>
      i.ecr.repository !== undefined ||
      i.ecr.registries.length > 0 ||
      chartEcrRegistry(i.deploy.chart) !== undefined,
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
  const { auth, kubeconfig } = inputs
  const { context } = inputs
  const roleArn = auth.roleToAssume
  const clusterName = kubeconfig.clusterName
  const runsKubeconfig = selected.has('kubeconfig') && clusterName !== undefined
  if (selected.has('deploy') && inputs.deploy.release !== undefined && !runsKubeconfig)
    await checkClusterReachable(inputs, deps.files)
  const deployPlan = selected.has('deploy')
    ? await planDeploy(inputs, deps.files)
    : { deploy: undefined, teardown: undefined, warnings: [] }
  const plan: Omit<Plan, 'github' | 'warnings'> = {
    auth:
      selected.has('auth') && roleArn !== undefined
        ? {
            region: inputs.region,
            roleArn,
            isRoleChaining: auth.isRoleChaining,
            audience: auth.audience,
            sessionName: auth.roleSessionName,
            durationSeconds: auth.roleDurationSeconds,
            inlineSessionPolicy: auth.inlineSessionPolicy,
            managedSessionPolicies: auth.managedSessionPolicies,
            allowedAccountIds: auth.allowedAccountIds,
            idTokenRequest: context.idTokenRequest,
          }
        : undefined,
    ecr: await planEcr(inputs, selected, deps),
    kubeconfig: runsKubeconfig
      ? {
          clusterName,
          region: inputs.region,
          auth: kubeconfig.auth,
          clusterRoleArn: kubeconfig.clusterRoleArn,
          roleSessionName: auth.roleSessionName,
          stsEndpoint: resolveStsEndpoint(context.env, inputs.region),
          runnerTemp: context.runnerTemp,
          shouldExportCredentials: auth.shouldExportCredentials,
        }
      : undefined,
    deploy: deployPlan.deploy,
    teardown: deployPlan.teardown,
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

/**
 * ECR runs for phase ecr-login, for the image check, and for a deploy that needs the image's
 * registry host even without either.
 */
async function planEcr(
  inputs: Inputs,
  selected: ReadonlySet<PhaseName>,
  deps: PlanDeps,
): Promise<EcrParams | undefined> {
  const { ecr, context } = inputs
  const isLogin = selected.has('ecr-login')
  // A teardown deploys no image.
  const isDeploy = selected.has('deploy') && !inputs.teardown.shouldUninstall
  const needsImage = isLogin || isDeploy || ecr.requireImage === true
  const image =
    ecr.repository === undefined || !needsImage
      ? undefined
      : await planImage(inputs, ecr.repository, isDeploy, deps)
  if (!isLogin && !(image !== undefined && (image.shouldCheck || isDeploy))) return undefined
  return {
    region: inputs.region,
    location: locateImageRegistry(ecr.registries, inputs.region),
    login: isLogin
      ? {
          registries: ecr.registries,
          chartRegistries: chartRegistriesToAdd(inputs),
          runnerTemp: context.runnerTemp,
          baseConfigDir: userDockerConfigDir(context.env),
          shouldSkipLogout: ecr.shouldSkipLogout,
        }
      : undefined,
    image,
  }
}

/** The ECR registry of an oci:// chart, unless `registries` already logs in to it. */
function chartRegistriesToAdd(inputs: Inputs): RegistryRef[] {
  const chart = chartEcrRegistry(inputs.deploy.chart)
  if (chart === undefined) return []
  const listed = inputs.ecr.registries.some((ref) =>
    ref.kind === 'host'
      ? ref.host === chart.host
      : ref.accountId === chart.accountId && chart.region === inputs.region,
  )
  return listed ? [] : [chart]
}

async function planImage(
  inputs: Inputs,
  repository: string,
  isDeploy: boolean,
  deps: PlanDeps,
): Promise<ImagePlan> {
  const { ecr, context } = inputs
  const payload = needsEventPayload(ecr, context.eventName) ? await deps.readEventPayload() : undefined
  return {
    repository,
    tag: resolveImageTag(ecr, { eventName: context.eventName, sha: context.sha, payload }),
    digest: ecr.imageDigest,
    shouldCheck: ecr.requireImage === 'auto' ? isDeploy : ecr.requireImage,
    waitSeconds: ecr.imageWaitSeconds,
  }
}

/** The phases a plan runs, in the order action/run.ts runs them (for the log and module preloading). */
export function plannedPhases(plan: Plan): ('auth' | 'ecr' | 'kubeconfig' | 'deploy' | 'teardown')[] {
  return (['auth', 'ecr', 'kubeconfig', 'deploy', 'teardown'] as const).filter(
    (name) => plan[name] !== undefined,
  )
}
