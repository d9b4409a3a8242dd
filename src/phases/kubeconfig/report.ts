import type { SummaryRow } from '../phase.js'
import type { KubeconfigResult } from './types.js'

/** Phase kubeconfig's step outputs, by name as declared in action.yml. */
export function outputsOf(kubeconfig: KubeconfigResult): Record<string, string> {
  return {
    kubeconfig: kubeconfig.path,
    'cluster-endpoint': kubeconfig.endpoint,
    'cluster-arn': kubeconfig.arn,
    'cluster-version': kubeconfig.version,
  }
}

/** Phase kubeconfig's rows of the job summary's table. */
export function summaryRows(kubeconfig: KubeconfigResult, region: string): SummaryRow[] {
  const { clusterName, version, endpoint } = kubeconfig
  return [
    ['Cluster', [{ code: clusterName }, ` (Kubernetes ${version}, ${region})`]],
    ['Endpoint', [endpoint]],
  ]
}
