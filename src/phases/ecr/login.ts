import { GetAuthorizationTokenCommand, type AuthorizationData, type ECRClient } from '@aws-sdk/client-ecr'
import { writeDockerConfigDir } from './docker-config-dir.js'
import { hostOfEndpoint, planTokenRequests, type TokenRequest } from './registry.js'
import { ANSWER_HINT } from '../../lib/answer-shapes.js'
import { ActionError } from '../../lib/errors.js'
import type { RegistryRef } from '../../inputs/types.js'
import type { Runtime } from '../../runner/runtime.js'
import { explainEcrError } from './errors.js'

export interface EcrLoginParams {
  readonly region: string
  readonly registries: readonly RegistryRef[]
  /**
   * The registry of an oci:// chart in ECR (`chart: oci://<account>.dkr.ecr.<region>.amazonaws.com/...`),
   * logged in to as well (after `registries`).
   */
  readonly chartRegistries: readonly RegistryRef[]
  /** Where the Docker config directory is made (RUNNER_TEMP). */
  readonly runnerTemp: string
  /** The user's Docker config directory to start from (DOCKER_CONFIG or ~/.docker). */
  readonly baseConfigDir: string | undefined
}

/** An ECR client for a region, with the credentials of phase auth (or the ambient chain). */
export type EcrClientFor = (region: string) => Promise<Pick<ECRClient, 'send'>>

export interface EcrLoginDeps {
  readonly runtime: Runtime
  readonly ecr: EcrClientFor
}

interface RegistryLogin {
  readonly host: string
  readonly expiresAt: Date | undefined
}

export interface EcrLoginResult {
  /** In the order of `registries`; the caller's own registry when none was given. */
  readonly registries: readonly RegistryLogin[]
  readonly dockerConfigDir: string
  readonly createdPaths: readonly string[]
}

interface RegistryToken extends RegistryLogin {
  /** base64(`AWS:<password>`), exactly Docker's `auths.<host>.auth`. */
  readonly token: string
}

/**
 * Phase ecr-login: an ECR authorization token per region (valid for every registry of the region
 * the principal may use), written as plain `auths` entries into a
 * Docker config directory of our own, which docker, buildx and helm read through DOCKER_CONFIG.
 * No Docker engine and no command line: the password never leaves this process except into a 0600 file.
 */
export async function loginToEcr(params: EcrLoginParams, deps: EcrLoginDeps): Promise<EcrLoginResult> {
  const requests = planTokenRequests(params.registries, params.region, params.chartRegistries)
  const tokens = (await Promise.all(requests.map((request) => requestTokens(request, deps)))).flat()
  const written = await writeDockerConfigDir(
    { runnerTemp: params.runnerTemp, baseDir: params.baseConfigDir },
    tokens.map(({ host, token }) => ({ host, auth: token })),
    deps.runtime,
  )
  const { runtime } = deps
  for (const { host, expiresAt } of tokens) {
    runtime.info(`Logged in to ${host}${expiresAt === undefined ? '' : ` until ${expiresAt.toISOString()}`}.`)
  }
  runtime.info(`Docker config directory (DOCKER_CONFIG): ${written.dir}`)
  if (written.droppedCredsStore !== undefined) {
    runtime.info(
      `The existing config's credsStore '${written.droppedCredsStore}' would hide these logins: its registries now use it through credHelpers instead.`,
    )
  }
  if (written.droppedCredHelpers.length > 0) {
    runtime.info(`Replaced the credHelpers entries for ${written.droppedCredHelpers.join(', ')}.`)
  }
  return {
    registries: tokens.map(({ host, expiresAt }) => ({ host, expiresAt })),
    dockerConfigDir: written.dir,
    createdPaths: [written.dir],
  }
}

async function requestTokens(request: TokenRequest, deps: EcrLoginDeps): Promise<RegistryToken[]> {
  const facts = `region ${request.region}${request.hosts.length === 0 ? '' : `, registries ${request.hosts.join(', ')}`}`
  let data: AuthorizationData[]
  try {
    const ecr = await deps.ecr(request.region)
    data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData ?? []
  } catch (error) {
    throw explainEcrError(error, 'GetAuthorizationToken', facts)
  }
  const tokens = data.map((item) => decodeAuthorization(item, deps.runtime))
  const first = tokens[0]
  if (first === undefined) {
    throw new ActionError(`ECR GetAuthorizationToken answered without authorization data (${facts}).`, {
      hint: ANSWER_HINT,
    })
  }
  if (!request.hasCallerRegistry) return request.hosts.map((host) => ({ ...first, host }))
  const own = first.host
  if (own === undefined) {
    throw new ActionError(`ECR GetAuthorizationToken answered without a proxy endpoint (${facts}).`, {
      hint: ANSWER_HINT,
    })
  }
  return [own, ...request.hosts.filter((host) => host !== own)].map((host) => ({ ...first, host }))
}

/** Masks the token and the password it holds before anything else can see them. */
function decodeAuthorization(
  data: AuthorizationData,
  runtime: Runtime,
): Omit<RegistryToken, 'host'> & { host: string | undefined } {
  const token = data.authorizationToken ?? ''
  const decoded = Buffer.from(token, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const password = colon < 0 ? decoded : decoded.slice(colon + 1)
  runtime.setSecret(token)
  runtime.setSecret(password)
  if (token === '' || colon <= 0 || password === '') {
    throw new ActionError(
      'ECR GetAuthorizationToken answered with a token that is not base64 of user:password.',
      { hint: ANSWER_HINT },
    )
  }
  return {
    token,
    host: hostOfEndpoint(data.proxyEndpoint ?? ''),
    expiresAt: data.expiresAt,
  }
}
