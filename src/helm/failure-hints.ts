import type { ApplyConflict, HelmFailureKind, UnreachableWhy } from './failure-kind.js'

/** Where the failed release is, for the commands a hint suggests. */
export interface HintContext {
  readonly release: string
  readonly namespace: string
  /** The rollout watch explained the failure in its own log group ("Why the rollout failed"). */
  readonly isDiagnosed: boolean
}

const UNREACHABLE: Readonly<Record<UnreachableWhy, string>> = {
  'no-kubeconfig':
    "helm had no kubeconfig and tried the default http://localhost:8080: set 'cluster-name' (phase kubeconfig writes one for the cluster), or set KUBECONFIG to the cluster's kubeconfig in an earlier step.",
  refused:
    "Nothing answered at the API server's address in the kubeconfig: check that it names the cluster you mean (cluster-name, aws-region), that the cluster is running, and that the runner may reach its endpoint (a private endpoint needs a runner in the cluster's VPC; a public one with an allow-list needs the runner's IP).",
  dns: "The API server's host name did not resolve on the runner: a private endpoint resolves only inside the cluster's VPC (run the job on a runner there), or the cluster was deleted. Check cluster-name and aws-region.",
  tls: "The API server's certificate did not verify against the kubeconfig's CA: the kubeconfig is for another cluster, or a proxy intercepts TLS (add the endpoint's host to NO_PROXY).",
  network:
    "helm could not reach the API server: check the runner's network path to the cluster's endpoint (proxy, VPC, security groups, the endpoint's public access allow-list).",
}

/** The hint of a failed `helm upgrade --install`, fitting its family of failure. */
export function upgradeHint(failure: HelmFailureKind, context: HintContext): string {
  const { release, namespace, isDiagnosed } = context
  switch (failure.kind) {
    case 'unreachable':
      return UNREACHABLE[failure.why]
    case 'chart-missing':
      return "helm found no such chart: check 'chart' (a local path is relative to the workspace: did the job run actions/checkout?), and for a chart repository 'chart-repository' and 'chart-version'."
    case 'port-protocol':
      return [
        "Helm 4 applies the chart server-side, and the API server refuses a Service or container port without `protocol`: it is a key of the ports list. Add `protocol: TCP` to every port in the chart's templates.",
        'Until the chart is fixed: helm-version: v3.17.3 (Helm 3 applies client-side), or keep Helm 4 with server-side apply off (helm-args: --server-side=false).',
      ].join('\n')
    case 'apply-conflict':
      return conflictHint(failure.conflicts)
    case 'invalid':
      return [
        'The chart rendered objects that helm or the API server refused (the error names the object and field): fix the chart, or the values that produce them.',
        '`helm template` with the same chart and values shows what was rendered.',
      ].join('\n')
    case 'timeout':
      return [
        lookCloser(release, namespace, isDiagnosed),
        "A timeout while waiting for readiness usually means pods that never became ready (image, probes, resources); raise 'timeout' only when they are just slow.",
      ].join('\n')
    case 'other':
      return lookCloser(release, namespace, isDiagnosed)
  }
}

/** Where to look next, when the cluster took the release and something went wrong in it. */
export function lookCloser(release: string, namespace: string, isDiagnosed: boolean): string {
  return [
    isDiagnosed
      ? 'The log group "Why the rollout failed" above and the job summary show the workloads, their pods, recent warning events and container logs.'
      : "helm's output is in the log group above. To look closer:",
    `  helm history ${release} -n ${namespace}`,
    `  kubectl get events -n ${namespace} --sort-by=.lastTimestamp`,
  ].join('\n')
}

function conflictHint(conflicts: readonly ApplyConflict[]): string {
  const byManager = new Map<string, string[]>()
  for (const { manager, field } of conflicts)
    byManager.set(manager, [...(byManager.get(manager) ?? []), field])
  const owners = [...byManager].map(([manager, fields]) => `"${manager}" owns ${fields.join(', ')}`)
  return [
    `Helm 4 applies the chart server-side, and fields it sets are owned by another field manager${owners.length === 0 ? '' : `: ${owners.join('; ')}`}.`,
    'Someone changed them outside helm (kubectl edit/apply/scale, an operator, an autoscaler). Either stop setting them in the chart (when the other manager should own them, e.g. replicas under an HPA),',
    'or let helm take them over: helm-args: --force-conflicts (the other manager then loses them; it may set them back).',
  ].join('\n')
}
