import type { HelmCli } from '../../helm/cli.js'
import { readReleaseHistory } from '../../helm/storage.js'
import { describeRelease } from '../../helm/result.js'
import type { VerifyInputs } from '../../inputs/types.js'
import type { KubeApi } from '../../kube/kube-api.js'
import type { PhaseDeps } from '../phase.js'
import type { DeployResult } from './types.js'
import { HISTORY_DEPTH } from './prepare.js'
import type { ChecksDeps } from './verify/checks.js'

type Settled = Pick<DeployResult, 'state' | 'isRolledBack' | 'failure' | 'failureReason' | 'verification'>

/** What verification needs beyond the deploy's own deps: CloudWatch (lazily) and fetch. */
export type VerifyTools = Pick<ChecksDeps, 'alarmReader' | 'fetch'> & { readonly cancel?: AbortSignal }

/**
 * A release helm deployed, verified (loaded only when a check is asked for); after a rollback or an
 * uninstall, the release as it is now.
 */
export async function verifyDeployed(
  helm: HelmCli,
  verify: VerifyInputs,
  deployed: Settled & { readonly spec: DeployedSpec; readonly previousRevision: number | undefined },
  deps: { readonly connectKube: () => Promise<KubeApi>; readonly record: PhaseDeps['record'] } & VerifyTools,
): Promise<Settled> {
  const { spec, state } = deployed
  if (state === undefined) return deployed
  const { verifyRelease } = await import('./verify/index.js')
  const outcome = await verifyRelease(
    {
      verify,
      release: spec.release,
      namespace: spec.namespace,
      revision: state.revision,
      previousRevision: deployed.previousRevision,
      timeout: spec.timeout,
      timeoutSeconds: spec.timeoutSeconds,
      historyMax: spec.historyMax,
      logLines: spec.logLines,
    },
    { helm, ...deps },
  )
  const changed =
    outcome.verification.aftermath === 'rolled-back' || outcome.verification.aftermath === 'uninstalled'
  return {
    state: changed ? await releaseNow(helm, spec, deps.connectKube) : state,
    isRolledBack: outcome.isRolledBack,
    failure: outcome.failure,
    failureReason: outcome.failureReason,
    verification: outcome.verification,
  }
}

interface DeployedSpec {
  readonly release: string
  readonly namespace: string
  readonly timeout: string
  readonly timeoutSeconds: number
  readonly historyMax: number
  readonly logLines: number
}

async function releaseNow(
  helm: HelmCli,
  spec: DeployedSpec,
  connect: () => Promise<KubeApi>,
): Promise<DeployResult['state']> {
  const where = {
    release: spec.release,
    namespace: spec.namespace,
    max: HISTORY_DEPTH,
    env: helm.env,
    connect,
  }
  const { entries } = await readReleaseHistory(where, () => Promise.resolve(helm))
  const last = entries.at(-1)
  return last === undefined ? undefined : describeRelease(last, entries)
}
