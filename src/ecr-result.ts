/** The image to deploy, as the chart values need it. */
export interface ImageRef {
  /** The registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly registry: string
  /** `<registry>/<ecr-repository>`: the value for `image-repository-key`. */
  readonly repository: string
  /** The value for `image-tag-key` (always pass it with --set-string: `1234567` is a number otherwise). */
  readonly tag: string
  /** `sha256:...`, from `image-digest` or resolved by the image check; deploy by digest when known. */
  readonly digest: string | undefined
  /** `<repository>@<digest>` when the digest is known, else `<repository>:<tag>`. */
  readonly reference: string
}

/**
 * What the deploy phase takes from phase ecr-login: the image (when `ecr-repository` is set) and
 * the Docker config directory to give helm as DOCKER_CONFIG (OCI charts in ECR).
 */
export interface EcrForDeploy {
  readonly image: ImageRef | undefined
  /** Undefined when phase ecr-login did not run. */
  readonly dockerConfigDir: string | undefined
}

export interface EcrResult extends EcrForDeploy {
  /** The image's registry (the first of `registries`, else the caller's); output `registry`. */
  readonly registry: string | undefined
  /** Every registry host logged in to. */
  readonly loggedIn: readonly string[]
  /** What the post step deletes (empty with skip-logout). */
  readonly createdPaths: readonly string[]
}

export function makeImageRef(
  registry: string,
  repositoryName: string,
  tag: string,
  digest: string | undefined,
): ImageRef {
  const repository = `${registry}/${repositoryName}`
  return {
    registry,
    repository,
    tag,
    digest,
    reference: digest === undefined ? `${repository}:${tag}` : `${repository}@${digest}`,
  }
}
