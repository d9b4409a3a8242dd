import { ActionError } from '../../lib/errors.js'
import { ServiceTimeoutError } from '../../lib/service-timeout.js'
import type { Runtime } from '../../runner/runtime.js'
import type { IdTokenRequest } from '../../runner/context.js'
import type { HttpGet } from '../../runner/http-get.js'

export class OidcHttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`the runner's ID token endpoint answered HTTP ${status}: ${body.slice(0, 200)}`)
    this.name = 'OidcHttpError'
  }
}

const TOKEN_SERVICE = "the runner's OIDC token endpoint"

const MISSING_ID_TOKEN_HINT = `Grant the job permission to request an OIDC token:

  permissions:
    id-token: write   # lets the job fetch an OIDC token for AWS
    contents: read    # the default you lose when you set any permission

In a reusable workflow the caller's job must grant it too (permissions of a called workflow can only be narrowed).
Pull requests from forks never get an ID token (pull_request events from forks run read-only): run this job on push, or on pull_request_target with care.`

/** How long one ID token request may take, the whole answer included. */
export const ID_TOKEN_TIMEOUT_MS = 10_000

/**
 * Asks the runner for an ID token for `audience` (the same request @actions/core makes, without its
 * inner retries), cut after `timeoutMs`.
 */
export async function fetchIdToken(
  request: IdTokenRequest | undefined,
  audience: string,
  httpGet: HttpGet,
  timeoutMs = ID_TOKEN_TIMEOUT_MS,
): Promise<string> {
  if (request === undefined) {
    throw new ActionError(
      'The job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.',
      { hint: MISSING_ID_TOKEN_HINT },
    )
  }
  const url = new URL(request.url)
  url.searchParams.set('audience', audience)
  const headers = { Authorization: `Bearer ${request.bearer}`, Accept: 'application/json' }
  const { status, body } = await getWithin(httpGet, url, headers, timeoutMs)
  if (status < 200 || status >= 300) throw new OidcHttpError(status, body)
  let value: unknown
  try {
    value = (JSON.parse(body) as { value?: unknown }).value
  } catch {
    value = undefined
  }
  if (typeof value !== 'string' || value.split('.').length !== 3) {
    throw new ActionError("The runner's ID token endpoint answered without a JWT in `value`.", {
      hint: 'The runner gives the endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): re-run the job; on a self-hosted runner, check that no proxy in between answers in its place.',
    })
  }
  return value
}

/** A GET whose whole answer must arrive within timeoutMs (a signal, so a dripping answer is cut too). */
async function getWithin(
  httpGet: HttpGet,
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const response = await httpGet(url, { headers, signal })
    return { status: response.status, body: await response.text() }
  } catch (error) {
    if (!signal.aborted) throw error
    throw new ServiceTimeoutError({ service: TOKEN_SERVICE, endpoint: url.origin, waitedMs: timeoutMs })
  }
}

/**
 * Starts fetchIdToken now, for the auth phase to await later (AuthDeps.firstIdToken), so that its
 * round trip overlaps loading the SDK. The token is masked the moment it arrives; a failure is
 * left to whoever awaits it (the auth phase retries or explains it as it would its own request).
 */
export function requestIdTokenEarly(
  context: { readonly idTokenRequest: IdTokenRequest | undefined },
  audience: string,
  deps: { readonly httpGet: HttpGet; readonly runtime: Pick<Runtime, 'setSecret'> },
): Promise<string> {
  // As in the auth phase: the request's bearer is masked before the request is made.
  if (context.idTokenRequest !== undefined) deps.runtime.setSecret(context.idTokenRequest.bearer)
  const token = fetchIdToken(context.idTokenRequest, audience, deps.httpGet).then((value) => {
    deps.runtime.setSecret(value)
    return value
  })
  // Awaited later, after the SDK has loaded: until then a rejection is not unhandled.
  token.catch(() => undefined)
  return token
}

export type TokenClaims = Readonly<Record<string, unknown>>

/** The claims of a JWT, without verifying it (STS does that); undefined when it is not a JWT. */
export function decodeJwtClaims(jwt: string): TokenClaims | undefined {
  const payload = jwt.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null ? (claims as TokenClaims) : undefined
  } catch {
    return undefined
  }
}
