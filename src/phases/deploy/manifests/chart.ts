import { promises as fs } from 'node:fs'
import path from 'node:path'
import { stringify } from 'yaml'
import type { ManifestSet } from './types.js'

/** What the chart is made of: its name (the release), version and appVersion, and each file's objects. */
export interface ChartContent {
  readonly name: string
  readonly version: string
  /** The image tag, when this run deploys an image of ecr-repository. */
  readonly appVersion: string | undefined
  readonly set: ManifestSet
  /** Each object's text as it goes into the chart (images pinned), in the set's order, file by file. */
  readonly texts: readonly (readonly string[])[]
}

/**
 * Go templates treat `{{` as the start of an action: `{{"{{"}}` prints it. Every other character of
 * a template is printed as it is, so the manifests are applied exactly as written, block scalars too.
 */
export function escapeTemplate(text: string): string {
  return text.replaceAll('{{', '{{"{{"}}')
}

/**
 * The chart's files by relative path: Chart.yaml (apiVersion v2) and one template per manifest file,
 * numbered in the set's order (helm applies the objects of one kind in template order). Pure.
 */
export function chartFiles(content: ChartContent): Record<string, string> {
  const chart = {
    apiVersion: 'v2',
    name: content.name,
    description: `Plain Kubernetes manifests (${content.set.files.map((file) => file.name).join(', ')}), made into a chart by eks-deploy-action.`,
    type: 'application',
    version: content.version,
    ...(content.appVersion === undefined ? {} : { appVersion: content.appVersion }),
  }
  const files: Record<string, string> = { 'Chart.yaml': stringify(chart) }
  const width = String(content.set.files.length).length
  content.set.files.forEach((file, index) => {
    const texts = content.texts[index] ?? []
    if (texts.length === 0) return
    const name = `${String(index + 1).padStart(width, '0')}-${templateName(file.name)}`
    files[`templates/${name}`] = texts.map(escapeTemplate).join('---\n')
  })
  return files
}

/** A template's file name from the manifest's: helm renders *.yaml, and skips names starting with `_`. */
function templateName(file: string): string {
  const base = (file.split('/').pop() ?? 'manifest').replace(/\.(ya?ml)$/i, '')
  return `${base.replace(/[^A-Za-z0-9._-]/g, '-')}.yaml`
}

/** Writes the chart's files under `dir`. */
export async function writeChart(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  await fs.mkdir(path.join(dir, 'templates'), { recursive: true })
  for (const [name, content] of Object.entries(files)) await fs.writeFile(path.join(dir, name), content)
}
