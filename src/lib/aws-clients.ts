import type { STSClient } from '@aws-sdk/client-sts'
import type { ECRClient } from '@aws-sdk/client-ecr'
import type { EKSClient } from '@aws-sdk/client-eks'
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { ambientCredentialProvider } from './ambient-credentials.js'
import { boundCalls, DEFAULT_AWS_TIMEOUTS, requestHandlerOptions, type AwsTimeouts } from './aws-deadline.js'
import type { Env } from './env.js'

import type { AwsCredentials } from './aws-credentials.js'

export type { AwsCredentials } from './aws-credentials.js'

export interface AwsClientOptions {
  readonly region: string
  /** Undefined: the SDK's default chain (the job's ambient credentials), within a deadline. */
  readonly credentials?: AwsCredentials | undefined
  /** The SDK's own attempts; 1 where the caller retries itself. */
  readonly maxAttempts?: number
}

/**
 * The one place AWS clients are made. Each SDK client is imported only when a phase asks for it,
 * so a run that fails on its inputs never loads the SDK. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> handling (tests point them at moto_server). Every
 * call is bounded in time (aws-deadline.ts).
 */
export interface AwsClientFactory {
  sts(options: AwsClientOptions): Promise<STSClient>
  ecr(options: AwsClientOptions): Promise<ECRClient>
  eks(options: AwsClientOptions): Promise<EKSClient>
  /** Only for verify-alarms (loaded then). */
  cloudwatch(options: AwsClientOptions): Promise<CloudWatchClient>
  /**
   * Settles as the first request of a client made here goes to the HTTP handler: the run loads the
   * later phases' modules only then (action/run.ts), so that request goes out first.
   */
  readonly firstRequest?: Promise<void>
}

const USER_AGENT = 'eks-deploy-action'

/**
 * The client's settings. Without credentials, the SDK's own default chain would wait on a silent
 * credentials endpoint for hours (its request timeout there only warns): the same chain, bounded.
 */
async function common(options: AwsClientOptions, timeouts: AwsTimeouts, env: Env) {
  return {
    region: options.region,
    customUserAgent: USER_AGENT,
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: requestHandlerOptions(timeouts),
    credentials: options.credentials ?? (await ambientCredentialProvider({ region: options.region, env })),
  }
}

/** `timeouts`: the defaults in a run; tests give short ones. `env`: what the credential chain reads. */
export function createAwsClientFactory(
  timeouts: AwsTimeouts = DEFAULT_AWS_TIMEOUTS,
  env: Env = process.env,
): AwsClientFactory {
  let sent: () => void = () => undefined
  const firstRequest = new Promise<void>((resolve) => (sent = resolve))
  return {
    sts: async (options) =>
      boundCalls(
        new (await import('@aws-sdk/client-sts')).STSClient(await common(options, timeouts, env)),
        'STS',
        timeouts,
        sent,
      ),
    ecr: async (options) =>
      boundCalls(
        new (await import('@aws-sdk/client-ecr')).ECRClient(await common(options, timeouts, env)),
        'ECR',
        timeouts,
        sent,
      ),
    eks: async (options) =>
      boundCalls(
        new (await import('@aws-sdk/client-eks')).EKSClient(await common(options, timeouts, env)),
        'EKS',
        timeouts,
        sent,
      ),
    cloudwatch: async (options) =>
      boundCalls(
        new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(
          await common(options, timeouts, env),
        ),
        'CloudWatch',
        timeouts,
        sent,
      ),
    firstRequest,
  }
}
