import type { ChartRef, Inputs } from '../../inputs/types.js'
import { checkClusterReachable } from '../../kube/reachable.js'
import type { PlanContext } from '../phase.js'
import { noImageWarning } from './plan-checks.js'
import { checkDeployPaths } from './plan-paths.js'
import { loadChartKeyring } from './plan-keyring.js'
import type { ChartSource, DeployParams } from './types.js'
import { hasVerification } from '../../inputs/verify.js'
import { lockHolderOf } from './lock/holder.js'
import type { LockParams } from './lock/types.js'

/**
 * Phase deploy's parameters: the release, and a chart or manifests (with `uninstall: true` the phase
 * is teardown's: teardown/plan.ts). Without the kubeconfig phase, the job must name a cluster. A local
 * chart, values file or manifest that is not there fails here, before any AWS call.
 */
export async function planDeploy(
  inputs: Inputs,
  { selected, files, warn }: Pick<PlanContext, 'selected' | 'files' | 'warn'>,
): Promise<DeployParams | undefined> {
  const { deploy, context } = inputs
  const {
    release,
    chart,
    manifests,
    helmVersion,
    helmMirror,
    lock,
    lockTimeoutSeconds,
    chartKeyring,
    ...options
  } = deploy
  if (!selected.has('deploy') || release === undefined || inputs.teardown.shouldUninstall) return undefined
  if (!selected.has('kubeconfig')) await checkClusterReachable(inputs, files)
  await checkDeployPaths(inputs, files)
  const keyring = chartKeyring === undefined ? undefined : await loadChartKeyring(inputs, files)
  const source = await chartSource(chart, manifests, inputs)
  if (source === undefined) return undefined
  // Manifests name their images themselves (and those of ecr-repository are pinned).
  const warning = source.kind === 'chart' ? await noImageWarning(inputs, files) : undefined
  const isVerified = hasVerification(inputs.verify) && !deploy.isDryRun
  const skipped =
    hasVerification(inputs.verify) && deploy.isDryRun
      ? 'helm-test, verify-urls and verify-alarms check a deployed release: a dry run deploys nothing, so they are skipped.'
      : undefined
  for (const text of [warning, skipped]) if (text !== undefined) warn(text)
  return {
    helm: { helmVersion, helmMirror, os: context.os, arch: context.arch },
    region: inputs.region,
    jobEnv: context.env,
    runnerTemp: context.runnerTemp,
    spec: { ...options, release },
    source,
    verify: isVerified ? inputs.verify : undefined,
    lock: options.isDryRun ? undefined : planLock(lock, lockTimeoutSeconds, context),
    ...(keyring === undefined ? {} : { keyring }),
  }
}

/**
 * What helm deploys: the chart, or the manifests, read here (paths, documents, the namespace of
 * every object) so that a bad one fails the step before any AWS call.
 */
async function chartSource(
  chart: ChartRef | undefined,
  entries: readonly string[],
  { deploy, context }: Inputs,
): Promise<ChartSource | undefined> {
  if (chart !== undefined) return { kind: 'chart', chart }
  if (entries.length === 0) return undefined
  const { loadManifests } = await import('./manifests/load.js')
  const manifests = await loadManifests({
    entries,
    workspace: context.workspace,
    namespace: deploy.namespace,
    sha: context.sha,
  })
  return { kind: 'manifests', manifests }
}

// How long the lock holds without renewal. A test environment shortens it (a killed holder's lock then
// expires in seconds); it is no input: a shorter one only risks losing the lock to a slow API server.
const LEASE_SECONDS_VARIABLE = 'EKS_DEPLOY_ACTION_LOCK_LEASE_SECONDS'
const DEFAULT_LEASE_SECONDS = 30

/** The release lock (lock: true or required); none with lock: false or in a dry run, which never holds it. */
function planLock(
  mode: Inputs['deploy']['lock'],
  timeoutSeconds: number,
  context: Inputs['context'],
): LockParams | undefined {
  if (mode === 'false') return undefined
  const override = Number(context.env[LEASE_SECONDS_VARIABLE] ?? '')
  return {
    isRequired: mode === 'required',
    timeoutSeconds,
    leaseSeconds: Number.isInteger(override) && override >= 1 ? override : DEFAULT_LEASE_SECONDS,
    holder: lockHolderOf(context),
  }
}
