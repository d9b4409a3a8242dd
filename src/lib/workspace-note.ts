/**
 * Where a relative path in an input was looked for, and the usual reason it is not there:
 * `(relative to the workspace GITHUB_WORKSPACE=/home/runner/work/app/app; did the job run actions/checkout?)`
 */
export function workspaceNote(workspace: string | undefined, base: string): string {
  const where =
    workspace === undefined
      ? `the working directory ${base} (no GITHUB_WORKSPACE)`
      : `GITHUB_WORKSPACE=${base}`
  return `(relative to the workspace ${where}; did the job run actions/checkout?)`
}
