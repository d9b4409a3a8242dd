import type { ChartRef, Inputs } from '../inputs/types.js'
import type { ChartSource, DeployParams } from '../phases/deploy/index.js'
import type { TeardownParams } from '../phases/teardown/index.js'

/**
 * Phase deploy's parameters: a deploy (release, and a chart or manifests), or with `uninstall: true`
 * a teardown (release only; a chart or manifests given too are not used, so one step can serve both
 * events).
 */
export async function planDeploy(inputs: Inputs): Promise<{
  readonly deploy: DeployParams | undefined
  readonly teardown: TeardownParams | undefined
}> {
  const { deploy, context } = inputs
  const { release, chart, manifests, helmVersion, helmMirror, ...options } = deploy
  if (release === undefined) return { deploy: undefined, teardown: undefined }
  const common = {
    helm: { helmVersion, helmMirror, os: context.os, arch: context.arch },
    region: inputs.region,
    jobEnv: context.env,
    runnerTemp: context.runnerTemp,
  }
  if (inputs.teardown.shouldUninstall) {
    const teardown: TeardownParams = {
      ...common,
      release,
      namespace: deploy.namespace,
      shouldDeleteNamespace: inputs.teardown.shouldDeleteNamespace,
      timeout: deploy.timeout,
      timeoutSeconds: deploy.timeoutSeconds,
    }
    return { deploy: undefined, teardown }
  }
  const source = await chartSource(chart, manifests, inputs)
  if (source === undefined) return { deploy: undefined, teardown: undefined }
  return { deploy: { ...common, spec: { ...options, release }, source }, teardown: undefined }
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
  const { loadManifests } = await import('../phases/deploy/manifests/load.js')
  const manifests = await loadManifests({
    entries,
    workspace: context.workspace,
    namespace: deploy.namespace,
    sha: context.sha,
  })
  return { kind: 'manifests', manifests }
}
