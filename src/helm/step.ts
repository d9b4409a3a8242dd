import type { AwsCredentials } from '../lib/aws-clients.js'
import type { Env } from '../lib/env.js'
import { makePrivateDir } from '../lib/private-file.js'
import { buildSigningEnv } from '../lib/signing-env.js'

/**
 * What a phase that runs helm starts from: a directory of the step's own for helm's files (recorded
 * for the post step the moment it exists), and the variables the kubeconfig's token plugin signs with.
 */
export async function prepareHelmStep(
  params: { readonly runnerTemp: string; readonly jobEnv: Env; readonly region: string },
  deps: { readonly cleanup: { add(paths: readonly string[]): void } },
  credentials: AwsCredentials | undefined,
): Promise<{ readonly helmDir: string; readonly signingEnv: Record<string, string> }> {
  const helmDir = await makePrivateDir(params.runnerTemp, 'eks-helm-')
  deps.cleanup.add([helmDir])
  return { helmDir, signingEnv: buildSigningEnv({ env: params.jobEnv, credentials, region: params.region }) }
}
