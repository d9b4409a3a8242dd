import { isMap, isScalar, isSeq, type Document } from 'yaml'
import { imageRepository, taggedImageReference, type ImageRef } from '../../../lib/image-ref.js'
import { quoted, type TextEdit } from './text-edits.js'

/** A container whose image was set to this run's image. */
export interface PinnedImage {
  /** `Deployment/web`. */
  readonly object: string
  readonly container: string
  readonly from: string
  readonly to: string
}

export interface ImagePins {
  readonly edits: readonly TextEdit[]
  readonly pinned: readonly PinnedImage[]
  /** Containers of the image's repository, pinned or already at the image. */
  readonly matched: number
}

/** Where each kind keeps its pod spec (any apiVersion: batch/v1beta1 and batch/v1 CronJobs alike). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
}

/**
 * Every container and init container whose image is the repository of `image` (any tag, none, or a
 * digest) gets this run's image (`<tag>@<digest>` once the digest is known); other images stay as
 * written. Pure: returns the edits to the document's text.
 */
export function pinImages(document: Document, kind: string, name: string, image: ImageRef): ImagePins {
  const path = POD_SPEC_PATHS[kind]
  const podSpec = path === undefined ? undefined : document.getIn(path, true)
  if (!isMap(podSpec)) return { edits: [], pinned: [], matched: 0 }
  const to = taggedImageReference(image)
  const edits: TextEdit[] = []
  const pinned: { pin: PinnedImage; at: number }[] = []
  let matched = 0
  for (const field of ['initContainers', 'containers']) {
    const containers = podSpec.get(field, true)
    if (!isSeq(containers)) continue
    for (const container of containers.items) {
      const node = isMap(container) ? container.get('image', true) : undefined
      if (!isScalar(node) || typeof node.value !== 'string' || node.range == null) continue
      if (!isRepository(node.value, image)) continue
      matched++
      if (node.value === to) continue
      const at = node.range[0]
      edits.push({ at, length: node.range[1] - at, insert: quoted(to) })
      const containerName = isMap(container) ? container.get('name') : undefined
      pinned.push({
        pin: { object: `${kind}/${name}`, container: String(containerName), from: node.value, to },
        at,
      })
    }
  }
  return { edits, pinned: pinned.sort((a, b) => a.at - b.at).map(({ pin }) => pin), matched }
}

/**
 * Whether an image reference names the repository of `image`: `<registry>/<name>` with a tag, a
 * digest, both or neither. A tag is what follows the last `:` after the last `/`.
 */
export function isRepository(reference: string, image: ImageRef): boolean {
  const withoutDigest = reference.split('@')[0] ?? ''
  const lastSlash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.indexOf(':', lastSlash + 1)
  const repository = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon)
  return repository.toLowerCase() === imageRepository(image).toLowerCase()
}
