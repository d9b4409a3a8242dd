/** Docker's tag grammar (https://docs.docker.com/reference/cli/docker/image/tag/). */
export const DOCKER_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

/**
 * The image this run builds and deploys: one type, formatted only here. A digest, when known
 * (`image-digest`, or resolved by the image check), pins the deploy.
 */
export interface ImageRef {
  /** The registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  readonly registry: string
  /** The ECR repository name, `shop/api`. */
  readonly name: string
  /** The tag, explicit or derived from the commit. Always a string value for helm (`1234567`). */
  readonly tag: string
  /** `sha256:...`. */
  readonly digest: string | undefined
}

export function makeImageRef(
  registry: string,
  name: string,
  tag: string,
  digest: string | undefined,
): ImageRef {
  return { registry, name, tag, digest }
}

/** `<registry>/<name>`: the repository a container's `image:` names (the `image-repository-key` value). */
export function imageRepository(image: ImageRef): string {
  return `${image.registry}/${image.name}`
}

/** `<tag>@<digest>` when the digest is known, else `<tag>`: what follows the repository and a colon. */
export function imageTagValue(image: ImageRef): string {
  return image.digest === undefined ? image.tag : `${image.tag}@${image.digest}`
}

/** `<repository>:<tag>[@<digest>]`: what a pod spec renders and the log shows. */
export function taggedImageReference(image: ImageRef): string {
  return `${imageRepository(image)}:${imageTagValue(image)}`
}

/** `<repository>@<digest>` once the digest is known, else `<repository>:<tag>` (output `image`). */
export function imageReference(image: ImageRef): string {
  return image.digest === undefined
    ? `${imageRepository(image)}:${image.tag}`
    : `${imageRepository(image)}@${image.digest}`
}
