import type { Inputs } from '../inputs/types.js'
import type { DeployParams } from '../phases/deploy/index.js'
import type { HelmSetup } from '../phases/deploy/helm/cli.js'
import type { TeardownParams } from '../phases/teardown/index.js'

/**
 * Phase deploy's parameters: a deploy (release and chart), or with `uninstall: true` a teardown
 * (release only; a chart given too is not used, so one step can serve both events).
 */
export function planDeploy(inputs: Inputs): {
  readonly deploy: DeployParams | undefined
  readonly teardown: TeardownParams | undefined
} {
  const { deploy, context } = inputs
  const { release, chart } = deploy
  if (release === undefined) return { deploy: undefined, teardown: undefined }
  const common = {
    helm: helmSetup(inputs),
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
  if (chart === undefined) return { deploy: undefined, teardown: undefined }
  return { deploy: { ...common, spec: { ...deploy, release, chart } }, teardown: undefined }
}

/** Which helm, from where, for this runner. */
function helmSetup({ deploy, context }: Inputs): HelmSetup {
  return {
    helmVersion: deploy.helmVersion,
    helmMirror: deploy.helmMirror,
    os: context.os,
    arch: context.arch,
  }
}
