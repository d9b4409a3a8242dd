import { promises as fs } from 'node:fs'
import path from 'node:path'
import { escapePath, glob, isDynamicPattern } from 'tinyglobby'
import { ActionError } from '../../../lib/errors.js'
import { workspaceNote } from '../../../lib/workspace-note.js'
import { parseManifestFile } from './documents.js'
import { apiGroup, isNamespace } from './scope.js'
import { describeObject, type ManifestFile, type ManifestObject, type ManifestSet } from './types.js'

export interface ManifestRequest {
  /** Input `manifests`: directories, files or globs, one per line. */
  readonly entries: readonly string[]
  /** GITHUB_WORKSPACE, which relative entries start from; undefined: the working directory. */
  readonly workspace: string | undefined
  /** The release's namespace: objects that name no namespace go there; one naming another is refused. */
  readonly namespace: string
  /** GITHUB_SHA, which the chart's version is made from. */
  readonly sha: string
}

/**
 * Reads input `manifests` before any AWS call: every entry must match a file, every document must be
 * one Kubernetes object with a name, in the release's namespace, and none twice. Throws one ActionError
 * listing every problem. The files come in the order of the entries, each entry's matches sorted.
 */
export async function loadManifests(request: ManifestRequest): Promise<ManifestSet> {
  const workspace = path.resolve(request.workspace ?? '')
  const realWorkspace = await fs.realpath(workspace).catch(() => workspace)
  const problems: string[] = []
  const paths: string[] = []
  for (const entry of request.entries) {
    const matched = await resolveEntry(entry, workspace)
    if (typeof matched === 'string') problems.push(`'${entry}' ${matched}`)
    else paths.push(...matched.filter((file) => !paths.includes(file)))
  }
  const sized = await confine(paths, workspace, realWorkspace)
  problems.push(...sized.problems)
  const files: ManifestFile[] = []
  if (sized.problems.length === 0) {
    for (const file of paths) {
      const name = displayName(file, workspace)
      const parsed = parseManifestFile(name, await fs.readFile(file, 'utf8'))
      problems.push(...parsed.problems)
      files.push({ name, objects: parsed.objects })
    }
  }
  const objects = files.flatMap((file) => file.objects)
  if (files.length > 0 && objects.length === 0 && problems.length === 0) {
    problems.push('the files hold no Kubernetes object (only empty or comment documents).')
  }
  problems.push(...namespaces(objects), ...misplaced(objects, request.namespace), ...duplicates(objects))
  if (problems.length > 0) {
    throw new ActionError(
      `Input 'manifests': ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n- ${problems.join('\n- ')}`,
      {
        hint: `Paths are relative to the checkout (${workspace}); a directory means its *.yaml and *.yml files, and with /** those of its subdirectories too.${
          problems.some((problem) => problem.includes('matches no file'))
            ? ` ${workspaceNote(request.workspace, workspace)}`
            : ''
        }`,
      },
    )
  }
  return { files, chartVersion: manifestChartVersion(request.sha) }
}

const YAML_FILES = '*.{yaml,yml}'

/** A Kubernetes object is at most 1.5 MiB in etcd: a manifest file of more is a mistake, not a release. */
export const MAX_FILE_BYTES = 1024 * 1024
/** All files together: a chart of plain manifests, read into memory before any AWS call. */
const MAX_TOTAL_BYTES = 8 * 1024 * 1024

/**
 * Every file must be, once its symlinks are resolved, inside the checkout (realpath), and within the
 * size caps: checked with stat, before any file is read. Each problem names the path and the limit.
 */
async function confine(
  paths: readonly string[],
  workspace: string,
  realWorkspace: string,
): Promise<{ readonly problems: readonly string[] }> {
  const problems: string[] = []
  let total = 0
  for (const file of paths) {
    const name = displayName(file, workspace)
    const real = await fs.realpath(file).catch(() => undefined)
    if (real === undefined || !isInside(real, realWorkspace)) {
      problems.push(
        `'${name}' is outside the checkout ${realWorkspace}${real !== undefined && real !== file ? ` (it resolves to ${real})` : ''}: manifests are read only from the repository (GITHUB_WORKSPACE), never through a symlink or .. out of it. Copy the file into the checkout.`,
      )
      continue
    }
    const { size } = await fs.stat(real)
    total += size
    if (size > MAX_FILE_BYTES) {
      problems.push(
        `'${name}' is ${mebibytes(size)}, over the limit of ${mebibytes(MAX_FILE_BYTES)} per manifest file (a Kubernetes object is at most 1.5 MiB): split it, or deploy generated content as a chart.`,
      )
    }
  }
  if (total > MAX_TOTAL_BYTES) {
    problems.push(
      `the ${paths.length} files are ${mebibytes(total)} together, over the limit of ${mebibytes(MAX_TOTAL_BYTES)} for all manifests: deploy fewer files per release, or a chart.`,
    )
  }
  return { problems }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file)
  return (
    relative !== '' &&
    !relative.startsWith(`..${path.sep}`) &&
    relative !== '..' &&
    !path.isAbsolute(relative)
  )
}

const mebibytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`

/** The files an entry names, sorted; or why it names none. */
async function resolveEntry(entry: string, workspace: string): Promise<string[] | string> {
  if (entry.startsWith('!')) {
    return 'is a negated glob: entries only add files. List the files or directories to deploy, or move the others out of them.'
  }
  const isRecursive = entry.endsWith('/**')
  const base = path.resolve(workspace, isRecursive ? entry.slice(0, -3) : entry)
  const link = await fs.lstat(base).catch(() => undefined)
  const stat = await fs.stat(base).catch(() => undefined)
  if (link?.isSymbolicLink() === true && stat?.isDirectory() === true) {
    return `is a symlinked directory (${base} -> ${await fs.readlink(base)}): symlinked directories are not followed. Name the directory it points to, inside the checkout.`
  }
  if (stat?.isDirectory() === true) {
    const dir = escapePath(base.split(path.sep).join('/'))
    const files = await findFiles(`${dir}/${isRecursive ? '**/' : ''}${YAML_FILES}`, workspace)
    if (files.length > 0) return files
    return isRecursive
      ? `matches no file: ${base} holds no *.yaml or *.yml file, in no subdirectory either.`
      : `matches no file: ${base} holds no *.yaml or *.yml file (subdirectories are read only when the path ends in /**).`
  }
  if (stat?.isFile() === true && !isRecursive) return [base]
  if (isDynamicPattern(entry)) {
    const files = await findFiles(entry, workspace)
    return files.length > 0 ? files : `matches no file under ${workspace}.`
  }
  return `matches no file: ${base} does not exist.`
}

async function findFiles(pattern: string, workspace: string): Promise<string[]> {
  const found = await glob([pattern], {
    cwd: workspace,
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
    followSymbolicLinks: false,
  })
  return found.map((file) => path.resolve(file)).sort()
}

/** Relative to the checkout with `/`, or the absolute path of a file outside it. */
function displayName(file: string, workspace: string): string {
  const relative = path.relative(workspace, file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/')
}

/**
 * The release's namespace belongs to input create-namespace (and outlives the release): a Namespace in
 * the manifests would make the release own it, and `uninstall` would delete it with all it holds.
 */
function namespaces(objects: readonly ManifestObject[]): string[] {
  return objects
    .filter(isNamespace)
    .map(
      (object) =>
        `${object.source}: ${describeObject(object)} is a Namespace, which a release never owns (uninstalling the release would delete the namespace and everything in it). Remove it from the manifests: the action creates the release's namespace when it is missing (input create-namespace, default true), or create it once with \`kubectl create namespace ${object.name}\`.`,
    )
}

/** helm installs a release into one namespace: an object naming another would split it. */
function misplaced(objects: readonly ManifestObject[], namespace: string): string[] {
  return objects
    .filter((object) => object.namespace !== undefined && object.namespace !== namespace)
    .map(
      (object) =>
        `${object.source}: ${describeObject(object)} names namespace '${object.namespace ?? ''}', but the release is in '${namespace}' (input 'namespace'): remove metadata.namespace, or deploy those objects as a release of their own.`,
    )
}

function duplicates(objects: readonly ManifestObject[]): string[] {
  const first = new Map<string, ManifestObject>()
  const problems: string[] = []
  for (const object of objects) {
    // The API group, not the version: apps/v1 and apps/v1beta2 name the same object.
    const key = `${apiGroup(object.apiVersion)}/${object.kind}/${object.name}`
    const earlier = first.get(key)
    if (earlier === undefined) first.set(key, object)
    else
      problems.push(
        `${object.source}: ${describeObject(object)} is also in ${earlier.source}: keep one of them.`,
      )
  }
  return problems
}

/**
 * The chart's version: SemVer 2 with the commit as pre-release (`0.0.0-g0123abc`, as `git describe`
 * names commits). The `g` keeps an all-digit SHA prefix with a leading 0 a valid identifier.
 */
export function manifestChartVersion(sha: string): string {
  const short = /^[0-9a-f]{7,}$/i.test(sha) ? sha.slice(0, 7).toLowerCase() : 'local'
  return `0.0.0-${short === 'local' ? short : `g${short}`}`
}
