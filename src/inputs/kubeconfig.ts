import type { InputProblems } from './problems.js'
import { ROLE_ARN_PATTERN, ROLE_ARN_RULE } from './patterns.js'
import type { KubeconfigInputs } from './types.js'

// Readers of phase kubeconfig's inputs.

export function readKubeconfig(p: InputProblems): KubeconfigInputs {
  return {
    clusterName: p.matching(
      'cluster-name',
      /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
      'must be an EKS cluster name: 1-100 letters, digits, - and _, starting with a letter or digit.',
    ),
    clusterRoleArn: p.matching('cluster-role-arn', ROLE_ARN_PATTERN, ROLE_ARN_RULE),
    auth: p.choice('kubeconfig-auth', ['exec', 'token'] as const, 'exec'),
    shouldExportKubeconfig: p.bool('export-kubeconfig', true),
  }
}
