import type { AwsCredentials } from '../../lib/aws-clients.js'
import { makeImageRef } from '../../lib/image-ref.js'
import { runBuffered } from '../../runner/buffered-group.js'
import type { PhaseDeps } from '../phase.js'
import { checkImage, locateRepository, type ImageCheckResult } from './image-check.js'
import { loginToEcr, type EcrClientFor, type EcrLoginResult } from './login.js'
import { ecrHost, type RegistryLocation } from './registry.js'
import type { ScanVerdict } from './scan-severity.js'
import type { EcrLoginPlan, EcrParams, EcrResult, ImagePlan } from './types.js'

// Phase deploy asks ECR about an image the cluster failed to pull.
export { checkImage } from './image-check.js'

export type { EcrParams, EcrResult, ImagePlan } from './types.js'

/** What phase ecr-login takes from before it: phase auth's credentials (undefined: the default chain). */
export interface EcrEarlier {
  readonly credentials: AwsCredentials | undefined
}

/**
 * Phase ecr-login and the image check, side by side (they share nothing but the client), then the
 * image reference from both. Each prints its own log group when it ends (other phases run alongside).
 */
export async function run(params: EcrParams, deps: PhaseDeps, earlier: EcrEarlier): Promise<EcrResult> {
  const ecr = ecrClients(deps, earlier.credentials)
  const { login, image } = params
  const [loginRun, checkRun] = await Promise.allSettled([
    login === undefined ? undefined : deps.time('ecr-login', () => runLogin(params, login, ecr, deps)),
    image === undefined ? undefined : checkThenScan(params.location, image, ecr, deps),
  ])
  const loginResult = loginRun.status === 'fulfilled' ? loginRun.value : undefined
  // Recorded before a failed check is thrown: the post step must still remove the login.
  const createdPaths = login?.shouldSkipLogout === true ? [] : (loginResult?.createdPaths ?? [])
  deps.cleanup.add(createdPaths)
  if (login?.shouldSkipLogout === true && loginResult !== undefined)
    deps.runtime.info(`skip-logout: ${loginResult.dockerConfigDir} stays after the job.`)
  if (loginRun.status === 'rejected') throw loginRun.reason
  if (checkRun.status === 'rejected') throw checkRun.reason
  const { check, scan } = checkRun.value ?? {}
  const registry = await findRegistry(params, loginResult, check, ecr)
  return {
    registry,
    loggedIn: loginResult?.registries.map((entry) => entry.host) ?? [],
    image:
      image === undefined || registry === undefined
        ? undefined
        : makeImageRef(registry, image.repository, image.tag.tag, image.digest ?? check?.digest),
    dockerConfigDir: loginResult?.dockerConfigDir,
    scan,
  }
}

/**
 * The image check, then (fail-on-severity) the scan findings of the digest it resolved or was given:
 * beside the login and phase kubeconfig, before helm.
 */
async function checkThenScan(
  location: RegistryLocation,
  image: ImagePlan,
  ecr: EcrClientFor,
  deps: PhaseDeps,
): Promise<{ check: ImageCheckResult | undefined; scan: ScanVerdict | undefined }> {
  const check = image.shouldCheck
    ? await deps.time('image check', () => runCheck(location, image, ecr, deps))
    : undefined
  const digest = image.digest ?? check?.digest
  const threshold = image.failOnSeverity
  if (threshold === undefined || digest === undefined) return { check, scan: undefined }
  const scan = await deps.time('scan findings', async () => {
    const { checkScanFindings } = await import('./scan-findings.js')
    const client = await ecr(location.region)
    return runBuffered(deps.runtime, (runtime) =>
      runtime.group(`Check ECR's scan findings of ${image.repository}@${digest}`, () =>
        checkScanFindings({ repository: image.repository, digest, location, threshold }, client, runtime),
      ),
    )
  })
  return { check, scan }
}

function ecrClients(deps: PhaseDeps, credentials: AwsCredentials | undefined): EcrClientFor {
  const byRegion = new Map<string, ReturnType<EcrClientFor>>()
  return (region) => {
    const client = byRegion.get(region) ?? deps.clients.ecr({ region, credentials })
    byRegion.set(region, client)
    return client
  }
}

async function runLogin(
  params: EcrParams,
  login: EcrLoginPlan,
  ecr: EcrClientFor,
  deps: PhaseDeps,
): Promise<EcrLoginResult> {
  const count = login.registries.length
  const where =
    count === 0 ? `the account's registry in ${params.region}` : `${count} registr${count > 1 ? 'ies' : 'y'}`
  return runBuffered(deps.runtime, (runtime) =>
    runtime.group(`Log in to ECR: ${where}`, () =>
      loginToEcr({ region: params.region, ...login }, { runtime, ecr }),
    ),
  )
}

async function runCheck(
  location: RegistryLocation,
  image: ImagePlan,
  ecr: EcrClientFor,
  deps: PhaseDeps,
): Promise<ImageCheckResult> {
  const { tag } = image.tag
  return runBuffered(deps.runtime, (runtime) =>
    runtime.group(`Check that ${image.repository}:${tag} is in ECR`, () =>
      checkImage(
        { repository: image.repository, tag, digest: image.digest, location, waitSeconds: image.waitSeconds },
        { runtime, ecr },
      ),
    ),
  )
}

/**
 * The image's registry host: known from `registries`, else from the login or the check; for a deploy
 * with neither, from DescribeRepositories.
 */
async function findRegistry(
  params: EcrParams,
  login: EcrLoginResult | undefined,
  check: ImageCheckResult | undefined,
  ecr: EcrClientFor,
): Promise<string | undefined> {
  const { location, image } = params
  const known =
    location.host ??
    login?.registries[0]?.host ??
    (check?.registryId === undefined ? undefined : ecrHost(check.registryId, location.region))
  if (known !== undefined || image === undefined) return known
  const uri = await locateRepository({ repository: image.repository, location }, { ecr })
  return uri.split('/')[0]
}
