import type { Inputs } from '../../inputs/types.js'
import type { PhaseReport, SummaryRow } from '../phase.js'
import type { KubeconfigResult } from './types.js'

/** Phase kubeconfig's outputs, summary and exported variables, as the phase table holds them. */
export const kubeconfigReport: PhaseReport<KubeconfigResult> = { outputsOf, summaryRows, exportedEnv }

/** Phase kubeconfig's step outputs, by name as declared in action.yml. */
function outputsOf(kubeconfig: KubeconfigResult): Record<string, string> {
  return {
    kubeconfig: kubeconfig.path,
    'cluster-endpoint': kubeconfig.endpoint,
    'cluster-arn': kubeconfig.arn,
    'cluster-version': kubeconfig.version,
  }
}

/** Phase kubeconfig's rows of the job summary's table. */
function summaryRows(kubeconfig: KubeconfigResult, { region }: Pick<Inputs, 'region'>): SummaryRow[] {
  const { clusterName, version, endpoint } = kubeconfig
  return [
    ['Cluster', [{ code: clusterName }, ` (Kubernetes ${version}, ${region})`]],
    ['Endpoint', [endpoint]],
  ]
}

/** KUBECONFIG for the job's later steps (export-kubeconfig). */
function exportedEnv(
  kubeconfig: KubeconfigResult,
  inputs: Pick<Inputs, 'kubeconfig'>,
): Record<string, string> {
  return inputs.kubeconfig.shouldExportKubeconfig ? { KUBECONFIG: kubeconfig.path } : {}
}
