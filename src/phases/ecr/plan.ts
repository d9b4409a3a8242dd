import { chartEcrRegistry } from '../../inputs/ecr.js'
import type { Inputs, RegistryRef } from '../../inputs/types.js'
import { ActionError } from '../../lib/errors.js'
import { userDockerConfigDir } from './docker-config.js'
import { needsEventPayload, resolveImageTag } from './image-tag.js'
import type { PlanContext } from '../phase.js'
import { locateImageRegistry } from './registry.js'
import type { EcrParams, ImagePlan } from './types.js'

// The GitHub reports name the commit the image was built from, chosen as the tag's is.
export { selectCommit } from './image-tag.js'

/**
 * ECR runs for phase ecr-login, for the image check, and for a deploy that needs the image's
 * registry host even without either (a teardown deploys no image). The image tag is derived here,
 * before any AWS call.
 */
export async function planEcr(
  inputs: Inputs,
  { selected, readEventPayload }: Pick<PlanContext, 'selected' | 'readEventPayload'>,
): Promise<EcrParams | undefined> {
  const { ecr, context } = inputs
  const isLogin = selected.has('ecr-login')
  const isDeploy = selected.has('deploy') && !inputs.teardown.shouldUninstall
  const needsImage = isLogin || isDeploy || ecr.requireImage === true
  const image =
    ecr.repository === undefined || !needsImage
      ? undefined
      : await planImage(inputs, ecr.repository, isDeploy, readEventPayload)
  checkScanPlan(inputs, image)
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
    failOnSeverity: inputs.teardown.shouldUninstall ? undefined : ecr.failOnSeverity,
  }
}

/** fail-on-severity reads the scan of the exact digest deployed: the run must name the image and know its digest. */
function checkScanPlan(inputs: Inputs, image: ImagePlan | undefined): void {
  const threshold = inputs.ecr.failOnSeverity
  if (threshold === undefined || inputs.teardown.shouldUninstall) return
  if (image === undefined)
    throw new ActionError(
      `fail-on-severity: ${threshold} checks the ECR scan of the image this run deploys, but the run names no image.`,
      { hint: 'Add `ecr-repository: <repository>`, or remove fail-on-severity.' },
    )
  if (image.digest === undefined && !image.shouldCheck)
    throw new ActionError(
      'fail-on-severity needs the digest of the image, which this run does not resolve.',
      {
        hint: "Keep require-image at its default 'auto' with a deploy (or set it to true), or give image-digest: ${{ steps.build.outputs.digest }}.",
      },
    )
}
