import type { AwsCredentials } from '../lib/aws-clients.js'
import { namedMessageOf } from '../lib/errors.js'

/**
 * The runner's own AWS identity, for the token plugin when neither --credentials-file nor the
 * AWS_* keys give credentials: the SDK's default chain (shared profiles, IRSA's web identity token
 * file, EKS Pod Identity and ECS container credentials, EC2 instance metadata), the one every AWS
 * tool follows. Loaded only on this path, so the usual one (keys in the environment) stays as fast
 * as Node's start-up. https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
export async function loadAmbientCredentials(region: string): Promise<AwsCredentials> {
  // On Node < 22 the STS client behind IRSA prints a deprecation notice to stderr, which kubectl shows.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { defaultProvider } = await import('@aws-sdk/credential-provider-node')
  const trail = new ChainTrail()
  try {
    const found = await defaultProvider({
      logger: trail.logger,
      clientConfig: { region },
      parentClientConfig: { region },
    })()
    return {
      accessKeyId: found.accessKeyId,
      secretAccessKey: found.secretAccessKey,
      ...(found.sessionToken === undefined ? {} : { sessionToken: found.sessionToken }),
      ...(found.expiration === undefined ? {} : { expiration: found.expiration }),
    }
  } catch (error) {
    throw new Error(trail.explain(error), { cause: error })
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
  private step = ''

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
