import path from 'node:path'
import type { Inputs } from '../../inputs/types.js'
import { printable } from '../../lib/printable.js'
import type { PlanFiles } from '../../runner/plan-files.js'

/** Keys (and lines of values files) that look like they set an image: image.tag, api.image, images... */
const IMAGE_KEY = /image/i
const IMAGE_LINE = /^[\s-]*["']?[\w.-]*image[\w.-]*["']?\s*:/im

/**
 * A chart deploy that sets no image runs the chart's default image (often nginx or a placeholder)
 * and succeeds: the step is green and the wrong thing runs. Worth a warning, never an error: some
 * charts pin their image themselves.
 */
export async function noImageWarning(inputs: Inputs, files: PlanFiles): Promise<string | undefined> {
  const { ecr, deploy, context } = inputs
  if (ecr.repository !== undefined) return undefined
  const keys = [...deploy.set, ...deploy.setString].map(({ key }) => key)
  if (keys.some((key) => IMAGE_KEY.test(key)) || deploy.helmArgs.some((arg) => IMAGE_KEY.test(arg)))
    return undefined
  const base = path.resolve(context.workspace ?? '')
  for (const file of deploy.valuesFiles) {
    // A values file that cannot be read here (a URL) may set it.
    const text = file.includes('://') ? '' : await files.read(path.resolve(base, file))
    if (text === undefined || text === '' || IMAGE_LINE.test(text)) return undefined
  }
  const tag =
    ecr.imageTag === undefined
      ? ''
      : ` image-tag '${printable(ecr.imageTag, 80)}' alone sets nothing: the image values need ecr-repository too.`
  return `No image is set for release '${deploy.release ?? ''}': no ecr-repository and no image values in set, set-string or values-files, so the chart's default image will run.${tag} Set ecr-repository: <repository> (the tag comes from the commit), or set the chart's image values yourself.`
}
