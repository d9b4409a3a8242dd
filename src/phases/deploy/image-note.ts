import type { AwsCredentials } from '../../lib/aws-clients.js'
import { ActionError, messageOf } from '../../lib/errors.js'
import type { Runtime } from '../../runner/runtime.js'
import type { PhaseDeps } from '../phase.js'

const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[a-f0-9]{64}))?$/

/**
 * For an image the cluster failed to pull: whether ECR has it, in words for the diagnosis. Loaded only
 * then (the ECR client). A tag that exists points at the nodes' access to ECR, not at the build.
 */
export function makeImageNote(
  deps: Pick<PhaseDeps, 'clients' | 'runtime'>,
  credentials: AwsCredentials | undefined,
): (image: string) => Promise<string> {
  return async (image) => {
    const match = ECR_IMAGE.exec(image)
    const [, accountId, region, repository, tag, digest] = match ?? []
    if (accountId === undefined || region === undefined || repository === undefined)
      return `${image} is not an ECR image`
    const { checkImage } = await import('../ecr/index.js')
    try {
      const found = await checkImage(
        {
          repository,
          tag: tag ?? 'latest',
          digest,
          location: { region, accountId, host: image.split('/')[0] },
          waitSeconds: 0,
        },
        {
          runtime: quietRuntime(deps.runtime),
          ecr: (r) => deps.clients.ecr({ region: r, credentials }),
        },
      )
      return `ECR has ${repository}:${tag ?? ''} (${found.digest}): the tag exists, so check that the nodes may pull from ECR (the node role's ecr:BatchGetImage, a VPC endpoint, the registry's region)`
    } catch (error) {
      return error instanceof ActionError ? error.message : `ECR could not be asked: ${messageOf(error)}`
    }
  }
}

/**
 * The runtime without its info and warning lines (the note says what the check found). A spread
 * would drop a class's methods, which live on its prototype: every other member is the runtime's own,
 * bound to it.
 */
function quietRuntime(runtime: Runtime): Runtime {
  return new Proxy(runtime, {
    get(target, key) {
      if (key === 'info' || key === 'warning') return () => undefined
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
