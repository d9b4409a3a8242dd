import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr'
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks'
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'

export const BENCH_ACCOUNT = '123456789012'
export const BENCH_ROLE = `arn:aws:iam::${BENCH_ACCOUNT}:role/deploy`
export const BENCH_REGION = 'eu-west-1'
export const BENCH_REPOSITORY = 'bench/api'
export const BENCH_CLUSTER = 'bench'
/** The tag the image check looks for: seven hex digits, as a derived tag would be. */
export const BENCH_IMAGE_TAG = '0123456'

export interface SessionCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
}

/**
 * The AWS side of the bench in moto_server: a repository holding an image with BENCH_IMAGE_TAG,
 * a cluster, and one set of session credentials (for the token processes, which sign offline).
 * Making these calls also loads moto's STS, ECR and EKS backends before anything is timed.
 */
export async function seedMoto(motoUrl: string, webIdentityToken: string): Promise<SessionCredentials> {
  const config = {
    region: BENCH_REGION,
    endpoint: motoUrl,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  }
  const ecr = new ECRClient(config)
  const eks = new EKSClient(config)
  const sts = new STSClient(config)
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: BENCH_REPOSITORY }))
    await ecr.send(
      new PutImageCommand({
        repositoryName: BENCH_REPOSITORY,
        imageTag: BENCH_IMAGE_TAG,
        imageManifest: JSON.stringify(imageManifest()),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      }),
    )
    await eks.send(
      new CreateClusterCommand({
        name: BENCH_CLUSTER,
        roleArn: `arn:aws:iam::${BENCH_ACCOUNT}:role/eks-cluster`,
        resourcesVpcConfig: { subnetIds: ['subnet-0bench'] },
      }),
    )
    const assumed = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: BENCH_ROLE,
        RoleSessionName: 'bench-setup',
        WebIdentityToken: webIdentityToken,
      }),
    )
    const c = assumed.Credentials
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
      throw new Error('moto_server answered AssumeRoleWithWebIdentity without credentials')
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }
  } finally {
    for (const client of [ecr, eks, sts]) client.destroy()
  }
}

function imageManifest(): Record<string, unknown> {
  const digest = (fill: string): string => `sha256:${fill.repeat(64)}`
  return {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1024, digest: digest('a') },
    layers: [
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2048, digest: digest('b') },
    ],
  }
}
