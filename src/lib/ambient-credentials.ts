import { namedMessageOf } from './errors.js'
import type { AwsCredentials } from './aws-credentials.js'
import { nonEmpty, type Env } from './env.js'
import { withRequestDeadline } from './request-deadline.js'
import { ServiceTimeoutError } from './service-timeout.js'

/**
 * How long the runner's own identity may take: well inside phase auth's 30 s, and short enough
 * that kubectl and helm, which wait on the token plugin, fail with a reason instead of hanging.
 */
export const AMBIENT_CREDENTIALS_DEADLINE_MS = 20_000

export interface AmbientOptions {
  readonly region: string
  /** The environment the chain reads (the SDK reads process.env; this names the source in messages). */
  readonly env: Env
  readonly deadlineMs?: number
}

/** A credential source of the chain that accepted the request and gave no answer in time. */
export class CredentialSourceTimeoutError extends ServiceTimeoutError {}

/** The chain ended without credentials; named as the SDK names it, its message says why. */
class NoAmbientCredentialsError extends Error {
  override readonly name = 'CredentialsProviderError'
}

/**
 * The runner's own AWS identity: the SDK's default chain (shared profiles, IRSA's web identity token
 * file, EKS Pod Identity and ECS container credentials, EC2 instance metadata), the one every AWS
 * tool follows, within a deadline that names the source that stalled. Loaded only on this path, so
 * the usual one (keys in the environment) stays as fast as Node's start-up.
 * https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
export async function loadAmbientCredentials(options: AmbientOptions): Promise<AwsCredentials> {
  return (await ambientCredentialProvider(options))()
}

/** The same, as a provider an SDK client calls (and refreshes) itself. */
export async function ambientCredentialProvider(
  options: AmbientOptions,
): Promise<() => Promise<AwsCredentials>> {
  // On Node < 22 the STS client behind IRSA prints a deprecation notice to stderr, which kubectl shows.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node')
  const { region, env, deadlineMs = AMBIENT_CREDENTIALS_DEADLINE_MS } = options
  const trail = new ChainTrail()
  const chain = defaultProvider({
    logger: trail.logger,
    clientConfig: { region },
    parentClientConfig: { region },
  })
  return async () => {
    const started = Date.now()
    const stalled = () =>
      new CredentialSourceTimeoutError({ ...stalledSource(trail.step, env), waitedMs: Date.now() - started })
    try {
      const found = await withRequestDeadline(() => chain(), deadlineMs, stalled)
      return {
        accessKeyId: found.accessKeyId,
        secretAccessKey: found.secretAccessKey,
        ...(found.sessionToken === undefined ? {} : { sessionToken: found.sessionToken }),
        ...(found.expiration === undefined ? {} : { expiration: found.expiration }),
      }
    } catch (error) {
      if (error instanceof CredentialSourceTimeoutError) throw error
      throw new NoAmbientCredentialsError(trail.explain(error), { cause: error })
    }
  }
}

const CONTAINER_HOST = 'http://169.254.170.2'
const IMDS_HOST = 'http://169.254.169.254'

/** The source the chain was asking when time ran out, in the words of its documentation. */
function stalledSource(step: string, env: Env): { service: string; endpoint?: string } {
  const full = nonEmpty(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI')
  const relative = nonEmpty(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')
  // The SDK prefers the relative URI when both are set.
  const container =
    relative !== undefined
      ? { variable: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', url: `${CONTAINER_HOST}${relative}` }
      : full === undefined
        ? undefined
        : { variable: 'AWS_CONTAINER_CREDENTIALS_FULL_URI', url: full }
  const profile = nonEmpty(env, 'AWS_PROFILE') ?? 'default'
  switch (step) {
    case 'fromSSO':
      return { service: 'IAM Identity Center (SSO) credentials' }
    case 'fromIni':
      return { service: `profile ${profile} of the shared AWS config and credentials files` }
    case 'fromProcess':
      return { service: `the credential_process of profile ${profile}` }
    case 'fromTokenFile':
      return {
        service: `STS AssumeRoleWithWebIdentity for IRSA (AWS_ROLE_ARN ${nonEmpty(env, 'AWS_ROLE_ARN') ?? ''})`,
      }
    case 'remoteProvider':
    case 'fromHttp':
    case 'fromInstanceMetadata':
      return container !== undefined && step !== 'fromInstanceMetadata'
        ? {
            service: `the container credentials endpoint of EKS Pod Identity or ECS (${container.variable})`,
            endpoint: container.url,
          }
        : {
            service: 'EC2 instance metadata (IMDS)',
            endpoint: nonEmpty(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT') ?? IMDS_HOST,
          }
    default:
      return { service: "the AWS SDK's default credential chain" }
  }
}

const REASON = /^@smithy\/property-provider (?:->|\(!\)) (.*)$/s
const STEP = /^@aws-sdk\/credential-provider-node - (?:defaultProvider|remoteProvider)::(\w+)/
const GENERIC = 'Could not load credentials from any providers'

/**
 * What each provider of the chain said. The chain's own error only says that none had credentials;
 * its debug log says why each one passed, and which one was running when something else failed.
 */
class ChainTrail {
  private readonly reasons: string[] = []
  step = ''

  readonly logger = {
    debug: (...parts: unknown[]): void => {
      const line = parts.map(String).join(' ')
      const reason = REASON.exec(line)?.[1]
      if (reason !== undefined && reason !== GENERIC && !this.reasons.includes(reason)) {
        this.reasons.push(reason)
      }
      this.step = STEP.exec(line)?.[1] ?? this.step
    },
    info: (): void => undefined,
    warn: (): void => undefined,
    error: (): void => undefined,
  }

  explain(error: unknown): string {
    const message = namedMessageOf(error)
    if (error instanceof Error && error.name === 'CredentialsProviderError' && error.message === GENERIC) {
      return `the AWS SDK's default credential chain found no credentials (${this.reasons.map((r) => r.replace(/\.$/, '')).join('; ')})`
    }
    return `the AWS SDK's default credential chain failed${this.step === '' ? '' : ` in ${this.step}`}: ${message}`
  }
}
