import type { InputProblems } from './problems.js'
import type { DeployInputs, TeardownInputs } from './types.js'

/** Namespaces delete-namespace never deletes: the default one and Kubernetes' own (kube-system, ...). */
function isProtectedNamespace(namespace: string): boolean {
  return namespace === 'default' || namespace.startsWith('kube-')
}

/** Readers of the teardown inputs (uninstall, delete-namespace); the namespace is deploy's. */
export function readTeardown(
  p: InputProblems,
  deploy: Pick<DeployInputs, 'namespace' | 'isDryRun'>,
): TeardownInputs {
  const shouldUninstall = p.bool('uninstall', false)
  const shouldDeleteNamespace = p.bool('delete-namespace', false)
  if (shouldDeleteNamespace && !shouldUninstall)
    p.add(
      'delete-namespace',
      'true',
      'deletes the namespace after `uninstall: true`; set uninstall too, or remove it.',
    )
  if (shouldDeleteNamespace && isProtectedNamespace(deploy.namespace))
    p.add(
      'namespace',
      deploy.namespace,
      `is never deleted (delete-namespace refuses default and kube-*): give the release's own namespace, or remove delete-namespace.`,
    )
  if (shouldUninstall && deploy.isDryRun)
    p.add(
      'dry-run',
      'true',
      'cannot be combined with uninstall: true (a dry run changes nothing; uninstall removes the release).',
    )
  return { shouldUninstall, shouldDeleteNamespace }
}
