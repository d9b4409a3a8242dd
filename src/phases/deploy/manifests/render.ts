import { parseDocument } from 'yaml'
import type { ImageRef } from '../../../lib/image-ref.js'
import { annotationEdit } from './annotate.js'
import { pinImages, type PinnedImage } from './pin.js'
import { applyEdits, type TextEdit } from './text-edits.js'
import { describeObject, type ManifestObject, type ManifestSet } from './types.js'

export interface RenderedManifests {
  /** Each object's text for the chart, file by file, in the set's order. */
  readonly texts: readonly (readonly string[])[]
  readonly pinned: readonly PinnedImage[]
  /** Containers of the image's repository (pinned, or already at the image). */
  readonly matched: number
  /** Objects to adopt that could not be marked `keep` (their metadata has a shape not edited here). */
  readonly unkept: readonly string[]
}

/**
 * helm deletes what a failed release leaves behind (a failed first install is uninstalled, a rollback
 * deletes what the target revision lacks): an object that existed before the release must survive
 * that, so the revision that adopts it marks it `keep`. The next revision no longer has the mark, so
 * helm's three-way merge removes it again. https://helm.sh/docs/howto/charts_tips_and_tricks/
 */
const KEEP = { key: 'helm.sh/resource-policy', value: 'keep' }

/** The objects as they go into the chart: this run's image pinned, objects to adopt marked `keep`. Pure. */
export function renderManifests(
  set: ManifestSet,
  options: { readonly image: ImageRef | undefined; readonly adopting: ReadonlySet<ManifestObject> },
): RenderedManifests {
  const pinned: PinnedImage[] = []
  const unkept: string[] = []
  let matched = 0
  const texts = set.files.map((file) =>
    file.objects.map((object) => {
      const document = parseDocument(object.text, { version: '1.1' })
      const edits: TextEdit[] = []
      if (options.image !== undefined) {
        const pins = pinImages(document, object.kind, object.name, options.image)
        edits.push(...pins.edits)
        pinned.push(...pins.pinned)
        matched += pins.matched
      }
      if (options.adopting.has(object)) {
        const keep = annotationEdit(document, object.text, KEEP.key, KEEP.value)
        if (keep !== undefined) edits.push(keep)
        else if (document.getIn(['metadata', 'annotations', KEEP.key]) !== KEEP.value)
          unkept.push(describeObject(object))
      }
      return applyEdits(object.text, edits)
    }),
  )
  return { texts, pinned, matched, unkept }
}
