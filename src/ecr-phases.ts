import type { AwsClientFactory, AwsCredentials } from './aws-clients.js'
import { runInBufferedGroup } from './buffered-group.js'
import { userDockerConfigDir } from './docker-config.js'
import { ecrHost, locateImageRegistry, type RegistryLocation } from './ecr-registry.js'
import { makeImageRef, type EcrResult } from './ecr-result.js'
import { ActionError } from './errors.js'
import { needsEventPayload, resolveImageTag, type ImageTag } from './image-tag.js'
import type { Inputs } from './inputs.js'
import type { PhaseTimer } from './phase-timer.js'
import type { EcrClientFor, EcrLoginResult } from './phases/ecr-login.js'
import type { ImageCheckResult } from './phases/image-check.js'
import type { Plan } from './plan.js'
import type { Runtime } from './runtime.js'
import type { CleanupRecorder } from './cleanup-recorder.js'

export interface EcrPhasesDeps {
  readonly runtime: Runtime
  readonly clients: AwsClientFactory
  /** Phase auth's credentials; undefined: the SDK's default chain. */
  readonly credentials: AwsCredentials | undefined
  readonly timer: PhaseTimer
  readonly cleanup: CleanupRecorder
}

/**
 * Phase ecr-login and the image check, side by side (they share nothing but the client), then the
 * image reference from both. Undefined when neither runs and the deploy needs no image.
 */
export async function runEcrPhases(
  inputs: Inputs,
  plan: Plan,
  imageTag: ImageTag | undefined,
  deps: EcrPhasesDeps,
): Promise<EcrResult | undefined> {
  const { repository } = inputs.ecr
  const image = repository === undefined || imageTag === undefined ? undefined : { repository, imageTag }
  if (!plan.ecrLogin && !(image !== undefined && (plan.checkImage || plan.deploy))) return undefined
  const ecr = ecrClients(deps)
  const location = locateImageRegistry(inputs.ecr.registries, inputs.region)
  const [login, check] = await Promise.allSettled([
    plan.ecrLogin ? deps.timer.time('ecr-login', () => runLogin(inputs, ecr, deps)) : undefined,
    plan.checkImage && image !== undefined
      ? deps.timer.time('image check', () => runCheck(inputs, image, location, ecr, deps.runtime))
      : undefined,
  ])
  const loginResult = login.status === 'fulfilled' ? login.value : undefined
  if (loginResult !== undefined) recordCleanup(inputs, loginResult, deps)
  if (login.status === 'rejected') throw login.reason
  if (check.status === 'rejected') throw check.reason
  const registry =
    location.host ??
    loginResult?.registries[0]?.host ??
    (check.value?.registryId === undefined ? undefined : ecrHost(check.value.registryId, location.region)) ??
    (image === undefined ? undefined : await locateRegistry(image.repository, location, ecr))
  const digest = inputs.ecr.imageDigest ?? check.value?.digest
  return {
    registry,
    loggedIn: loginResult?.registries.map((login) => login.host) ?? [],
    image:
      image === undefined || registry === undefined
        ? undefined
        : makeImageRef(registry, image.repository, image.imageTag.tag, digest),
    dockerConfigDir: loginResult?.dockerConfigDir,
    createdPaths: inputs.ecr.shouldSkipLogout ? [] : (loginResult?.createdPaths ?? []),
  }
}

function ecrClients(deps: EcrPhasesDeps): EcrClientFor {
  const byRegion = new Map<string, ReturnType<EcrClientFor>>()
  return (region) => {
    const client = byRegion.get(region) ?? deps.clients.ecr({ region, credentials: deps.credentials })
    byRegion.set(region, client)
    return client
  }
}

async function runLogin(inputs: Inputs, ecr: EcrClientFor, deps: EcrPhasesDeps): Promise<EcrLoginResult> {
  const { loginToEcr } = await import('./phases/ecr-login.js')
  const where =
    inputs.ecr.registries.length === 0
      ? `the account's registry in ${inputs.region}`
      : `${inputs.ecr.registries.length} registr${inputs.ecr.registries.length > 1 ? 'ies' : 'y'}`
  return runInBufferedGroup(deps.runtime, `Log in to ECR: ${where}`, (runtime) =>
    loginToEcr(
      {
        region: inputs.region,
        registries: inputs.ecr.registries,
        runnerTemp: inputs.context.runnerTemp,
        baseConfigDir: userDockerConfigDir(inputs.context.env),
      },
      { runtime, ecr },
    ),
  )
}

async function runCheck(
  inputs: Inputs,
  image: { repository: string; imageTag: ImageTag },
  location: RegistryLocation,
  ecr: EcrClientFor,
  runtime: Runtime,
): Promise<ImageCheckResult> {
  const { checkImage } = await import('./phases/image-check.js')
  const { tag } = image.imageTag
  return runInBufferedGroup(runtime, `Check that ${image.repository}:${tag} is in ECR`, (buffered) =>
    checkImage(
      {
        repository: image.repository,
        tag,
        digest: inputs.ecr.imageDigest,
        location,
        waitSeconds: inputs.ecr.imageWaitSeconds,
      },
      { runtime: buffered, ecr },
    ),
  )
}

/**
 * The image tag, when an ECR phase or the deploy will need it: explicit, or derived from the
 * commit (the event payload is read only when the tag depends on it). Runs before any AWS call.
 */
export async function readImageTag(
  inputs: Inputs,
  plan: Plan,
  readFile: (path: string) => Promise<string>,
  runtime: Pick<Runtime, 'info'>,
): Promise<ImageTag | undefined> {
  if (inputs.ecr.repository === undefined || !(plan.ecrLogin || plan.checkImage || plan.deploy))
    return undefined
  const { context } = inputs
  const payload = needsEventPayload(inputs.ecr, context.eventName)
    ? await readEventPayload(context.eventPath, readFile)
    : undefined
  const imageTag = resolveImageTag(inputs.ecr, { eventName: context.eventName, sha: context.sha, payload })
  runtime.info(`Image tag ${imageTag.tag}: ${imageTag.origin}.`)
  return imageTag
}

async function readEventPayload(
  eventPath: string | undefined,
  readFile: (path: string) => Promise<string>,
): Promise<unknown> {
  if (eventPath === undefined) return undefined
  try {
    return JSON.parse(await readFile(eventPath)) as unknown
  } catch (error) {
    throw new ActionError(`Could not read the event payload GITHUB_EVENT_PATH=${eventPath}.`, {
      cause: error,
      hint: "The runner writes it for every run; outside GitHub Actions, set 'image-tag' explicitly.",
    })
  }
}

/** Only for a deploy with neither login nor check: the registry host from DescribeRepositories. */
async function locateRegistry(
  repository: string,
  location: RegistryLocation,
  ecr: EcrClientFor,
): Promise<string | undefined> {
  const { locateRepository } = await import('./phases/image-check.js')
  const uri = await locateRepository({ repository, location }, { ecr })
  return uri.split('/')[0]
}

function recordCleanup(inputs: Inputs, login: EcrLoginResult, deps: EcrPhasesDeps): void {
  if (inputs.ecr.shouldSkipLogout) {
    deps.runtime.info(`skip-logout: ${login.dockerConfigDir} stays after the job.`)
    return
  }
  deps.cleanup.add(login.createdPaths)
}
