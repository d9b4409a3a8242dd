import { chartEcrRegistry } from '../../inputs/ecr.js'
import type { Inputs, RegistryRef } from '../../inputs/types.js'
import { userDockerConfigDir } from './docker-config.js'
import { needsEventPayload, resolveImageTag } from './image-tag.js'
import { locateImageRegistry } from './registry.js'
import type { EcrParams, ImagePlan } from './types.js'

// The GitHub reports name the commit the image was built from, chosen as the tag's is.
export { selectCommit } from './image-tag.js'

/** Which of ECR's jobs the run asks for: phase ecr-login, and a deploy that sets the image. */
export interface EcrSelection {
  readonly isLogin: boolean
  readonly isDeploy: boolean
}

/**
 * ECR runs for phase ecr-login, for the image check, and for a deploy that needs the image's
 * registry host even without either. The image tag is derived here, before any AWS call.
 */
export async function planEcr(
  inputs: Inputs,
  { isLogin, isDeploy }: EcrSelection,
  readEventPayload: () => Promise<unknown>,
): Promise<EcrParams | undefined> {
  const { ecr, context } = inputs
  const needsImage = isLogin || isDeploy || ecr.requireImage === true
  const image =
    ecr.repository === undefined || !needsImage
      ? undefined
      : await planImage(inputs, ecr.repository, isDeploy, readEventPayload)
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

/** Whether ecr-login has anything to log in to: an image repository, registries, or an ECR chart. */
export function hasEcrInputs(inputs: Inputs): boolean {
  return (
    inputs.ecr.repository !== undefined ||
    inputs.ecr.registries.length > 0 ||
    chartEcrRegistry(inputs.deploy.chart) !== undefined
  )
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
  readEventPayload: () => Promise<unknown>,
): Promise<ImagePlan> {
  const { ecr, context } = inputs
  const payload = needsEventPayload(ecr, context.eventName) ? await readEventPayload() : undefined
  return {
    repository,
    tag: resolveImageTag(ecr, { eventName: context.eventName, sha: context.sha, payload }),
    digest: ecr.imageDigest,
    shouldCheck: ecr.requireImage === 'auto' ? isDeploy : ecr.requireImage,
    waitSeconds: ecr.imageWaitSeconds,
  }
}
