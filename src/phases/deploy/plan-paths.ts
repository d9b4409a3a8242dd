import path from 'node:path'
import type { Inputs } from '../../inputs/types.js'
import { nonEmpty, type Env } from '../../lib/env.js'
import { ActionError } from '../../lib/errors.js'
import { printable } from '../../lib/printable.js'
import { workspaceNote } from '../../lib/workspace-note.js'
import type { PlanFiles } from '../../runner/plan-files.js'

/**
 * A local chart or values file that is not there fails the step here, before any AWS call, instead of
 * after auth, ECR, kubeconfig and the helm download. helm resolves both against its working
 * directory, the workspace (GITHUB_WORKSPACE) on a runner; the usual cause is a job without
 * actions/checkout.
 */
export async function checkDeployPaths(inputs: Inputs, files: PlanFiles): Promise<void> {
  const { deploy, context } = inputs
  const base = path.resolve(context.workspace ?? '')
  const problems: string[] = []
  const chart = deploy.chart
  if (chart?.kind === 'path') {
    const missing = await missingChart(chart.path, base, { files, env: context.env, os: context.os })
    if (missing !== undefined) problems.push(`Input 'chart': ${missing}`)
  }
  for (const file of deploy.valuesFiles) {
    // helm -f also takes a URL, and - for its standard input.
    if (file.includes('://') || file === '-') continue
    const kind = await files.kind(path.resolve(base, file))
    if (kind === undefined) problems.push(`Input 'values-files': '${printable(file, 200)}' does not exist`)
    else if (kind === 'directory')
      problems.push(`Input 'values-files': '${printable(file, 200)}' is a directory, not a values file`)
  }
  if (problems.length === 0) return
  throw new ActionError(
    problems.map((problem) => `${problem} ${workspaceNote(context.workspace, base)}.`).join('\n'),
    {
      hint: 'Run actions/checkout (or the step that makes the file) before this step, or correct the path: chart, values-files and manifests are relative to the checkout.',
    },
  )
}

/**
 * Why helm would not find a local chart, or undefined when it is there or may be something else:
 * a URL (helm downloads it) or `repo/name` of a repository that an earlier step added (helm repo add).
 * helm takes the name as a local path first, then (unless it is absolute or starts with .) as
 * `repo/name`; a name without / is no chart reference at all.
 * https://github.com/helm/helm/blob/main/pkg/action/install.go (LocateChart)
 */
async function missingChart(
  chart: string,
  base: string,
  runner: { readonly files: PlanFiles; readonly env: Env; readonly os: string },
): Promise<string | undefined> {
  if (chart.includes('://')) return undefined
  if ((await runner.files.kind(path.resolve(base, chart))) !== undefined) return undefined
  const shown = `'${printable(chart, 200)}'`
  if (path.isAbsolute(chart) || chart.startsWith('.') || !chart.includes('/'))
    return `${shown} does not exist`
  const repo = chart.split('/')[0] ?? ''
  const repositories = helmRepositoriesFile(runner.env, runner.os)
  const listed = repositories === undefined ? undefined : await runner.files.read(repositories)
  if (listed !== undefined && repositoryNames(listed).includes(repo)) return undefined
  return `${shown} does not exist, and '${printable(repo, 80)}' is no repository that helm repo add has added`
}

/** helm's repositories.yaml: HELM_REPOSITORY_CONFIG, else under helm's configuration home. */
function helmRepositoriesFile(env: Env, os: string): string | undefined {
  const file = nonEmpty(env, 'HELM_REPOSITORY_CONFIG')
  if (file !== undefined) return file
  const configHome = nonEmpty(env, 'HELM_CONFIG_HOME') ?? platformConfigHome(env, os)
  return configHome === undefined ? undefined : path.join(configHome, 'repositories.yaml')
}

// https://github.com/helm/helm/tree/main/pkg/helmpath (lazypath_*.go)
function platformConfigHome(env: Env, os: string): string | undefined {
  const xdg = nonEmpty(env, 'XDG_CONFIG_HOME')
  if (xdg !== undefined) return path.join(xdg, 'helm')
  if (os === 'win32') {
    const appData = nonEmpty(env, 'APPDATA')
    return appData === undefined ? undefined : path.join(appData, 'helm')
  }
  const home = nonEmpty(env, 'HOME')
  if (home === undefined) return undefined
  return os === 'darwin'
    ? path.join(home, 'Library', 'Preferences', 'helm')
    : path.join(home, '.config', 'helm')
}

/** The `name:` of each entry of repositories.yaml. */
function repositoryNames(text: string): string[] {
  return [...text.matchAll(/^\s*-?\s*name:\s*["']?([^"'\s#]+)/gm)].map((match) => match[1] ?? '')
}
