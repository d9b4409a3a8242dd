import { ActionError, messageOf } from '../../lib/errors.js'
import { helmTimedOut, operationDeadline, queryHelm, readHistory, type HelmCli } from '../../helm/cli.js'
import { lastHelmError } from '../../helm/failure.js'
import { explainUnauthorized } from '../../helm/unauthorized.js'
import type { NamespaceApi } from '../../kube/kube-api.js'
import type { PhaseDeps } from '../phase.js'
import { readNamespaceContents, type NamespaceContents } from './namespace-contents.js'
import type { NamespaceOutcome, TeardownParams, TeardownResult } from './types.js'

export interface TeardownDeps {
  readonly time: PhaseDeps['time']
  /** The Kubernetes API as helm's identity; made only to delete the namespace. */
  readonly connectKube: () => Promise<NamespaceApi>
}

interface Step {
  readonly failure?: ActionError
}

const NAMESPACE_POLL_MS = 1_000

/**
 * `helm uninstall --wait` of the release (one that does not exist is a notice), then, with
 * delete-namespace, its namespace, unless other helm releases live there.
 */
export async function tearDown(
  helm: HelmCli,
  params: TeardownParams,
  deps: TeardownDeps,
): Promise<TeardownResult> {
  const { release, namespace } = params
  const base = { helmVersion: helm.version.text, release, namespace }
  const history = await readHistory(helm, release, namespace, 1)
  if (history.refusal !== undefined) {
    const failure = explainUnauthorized({ cluster: undefined, namespace, helmError: history.refusal })
    return { ...base, previousRevision: undefined, isUninstalled: false, namespaceOutcome: 'kept', failure }
  }
  const revision = history.entries.at(-1)?.revision
  if (revision === undefined)
    helm.runtime.notice(`Release ${release} does not exist in namespace ${namespace}: nothing to uninstall.`)
  const uninstalled =
    revision === undefined
      ? {}
      : await deps.time(
          'helm uninstall',
          () => uninstall(helm, params, revision),
          (step) => step.failure !== undefined,
        )
  const done = {
    ...base,
    previousRevision: revision,
    isUninstalled: revision !== undefined && uninstalled.failure === undefined,
  }
  if (uninstalled.failure !== undefined || !params.shouldDeleteNamespace)
    return { ...done, namespaceOutcome: 'kept', failure: uninstalled.failure }
  const deleted = await deps.time(
    'delete namespace',
    () => deleteNamespace(helm, params, deps.connectKube),
    (step) => step.failure !== undefined,
  )
  return { ...done, namespaceOutcome: deleted.outcome, failure: deleted.failure }
}

async function uninstall(helm: HelmCli, params: TeardownParams, revision: number): Promise<Step> {
  const { runtime } = helm
  const { release, namespace, timeout } = params
  // Helm 4 made --wait a strategy; `watcher` waits until the objects are gone, as Helm 3's --wait.
  const wait = helm.version.major === 3 ? '--wait' : '--wait=watcher'
  const args = ['uninstall', release, '--namespace', namespace, wait, '--timeout', timeout]
  return runtime.group(`helm uninstall ${release} (namespace ${namespace})`, async () => {
    const deadline = operationDeadline(helm, params.timeoutSeconds)
    const result = await runtime.exec(helm.binary, args, {
      env: helm.env,
      shouldForwardSignals: true,
      shouldStream: false,
      stop: deadline.signal,
    })
    runtime.relay(`${result.stdout}${result.stderr}`)
    if (deadline.signal.aborted) return { failure: helmTimedOut(`helm uninstall ${release}`, deadline.ms) }
    if (result.exitCode === 0) {
      runtime.info(`Release ${release} (revision ${revision}) is uninstalled from namespace ${namespace}.`)
      return {}
    }
    const error = lastHelmError(result.stderr)
    return {
      failure: new ActionError(
        `helm uninstall of release ${release} in namespace ${namespace} failed (exit code ${result.exitCode}): ${error}`,
        {
          hint: `Look at \`helm status ${release} -n ${namespace}\`. A timeout (${timeout}) means objects were still being deleted (finalizers); run the teardown again.`,
        },
      ),
    }
  })
}

/** Releases helm knows in the namespace, in any state but uninstalled. */
async function releasesIn(helm: HelmCli, namespace: string): Promise<string[]> {
  const states = ['--deployed', '--failed', '--pending', '--superseded', '--uninstalling']
  const result = await queryHelm(helm, ['list', '--namespace', namespace, ...states, '--output', 'json'])
  if (result.exitCode !== 0) throw new Error(`helm list failed: ${lastHelmError(result.stderr)}`)
  const list = JSON.parse(result.stdout) as unknown
  return Array.isArray(list) ? list.map((entry) => String((entry as { name?: unknown }).name)) : []
}

async function deleteNamespace(
  helm: HelmCli,
  params: TeardownParams,
  connect: () => Promise<NamespaceApi>,
): Promise<Step & { readonly outcome: NamespaceOutcome }> {
  const { runtime } = helm
  const { namespace } = params
  return runtime.group(`Delete namespace ${namespace}`, async () => {
    try {
      const others = (await releasesIn(helm, namespace)).filter((name) => name !== params.release)
      if (others.length > 0) return { outcome: 'kept' as const, failure: keptForOthers(namespace, others) }
      const kube = await connect()
      if (!(await kube.namespaceExists(namespace))) {
        runtime.notice(`Namespace ${namespace} does not exist: nothing to delete.`)
        return { outcome: 'absent' as const }
      }
      const contents = await readNamespaceContents(kube, namespace, params.release)
      if (contents.releases.length > 0 || contents.others.length > 0)
        return { outcome: 'kept' as const, failure: keptForContents(namespace, contents) }
      await kube.deleteNamespace(namespace)
      const deadline = runtime.now() + params.timeoutSeconds * 1000
      while ((await kube.namespaceExists(namespace)) && runtime.now() < deadline)
        await runtime.sleep(NAMESPACE_POLL_MS)
      if (await kube.namespaceExists(namespace)) {
        runtime.warning(
          `Namespace ${namespace} is still terminating after ${params.timeout}: Kubernetes goes on deleting it.`,
        )
        return { outcome: 'terminating' as const }
      }
      runtime.info(`Namespace ${namespace} is deleted.`)
      return { outcome: 'deleted' as const }
    } catch (error) {
      const message = messageOf(error)
      const failure = new ActionError(
        `delete-namespace: could not delete namespace ${namespace}: ${message}`,
        {
          cause: error,
          hint: 'Deleting a namespace needs `delete` on namespaces, which are cluster-scoped: on EKS an access entry with AmazonEKSClusterAdminPolicy (or an RBAC ClusterRole that grants it).',
        },
      )
      return { outcome: 'kept' as const, failure }
    }
  })
}

function keptForOthers(namespace: string, others: readonly string[]): ActionError {
  const plural = others.length > 1 ? 's' : ''
  return new ActionError(
    `delete-namespace: namespace ${namespace} still holds helm release${plural} ${others.join(', ')}, so it was not deleted.`,
    {
      hint: 'Uninstall those releases first, or remove delete-namespace: a namespace goes only with its last release.',
    },
  )
}

function keptForContents(namespace: string, contents: NamespaceContents): ActionError {
  const parts = [
    ...(contents.releases.length > 0 ? [`helm releases ${contents.releases.join(', ')}`] : []),
    ...(contents.others.length > 0
      ? [`objects helm did not make for this release: ${contents.others.join(', ')}`]
      : []),
  ]
  return new ActionError(
    `delete-namespace: namespace ${namespace} still holds ${parts.join('; and ')}, so it was not deleted.`,
    {
      hint: `A namespace goes only when it holds nothing but the release (deleting it would delete them too). Uninstall the other releases and delete those objects first (\`kubectl delete <kind>/<name> -n ${namespace}\`), or remove delete-namespace.`,
    },
  )
}
