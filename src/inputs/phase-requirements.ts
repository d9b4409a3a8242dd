import { chartEcrRegistry } from './ecr.js'
import type { Inputs, PhaseName } from './types.js'

/**
 * What each phase of `phases:` needs, and the YAML that gives it: under `auto` a phase runs when it
 * has its inputs; a listed phase without them fails the plan with this YAML.
 */
export const PHASE_REQUIREMENTS: Readonly<
  Record<PhaseName, { has: (inputs: Inputs) => boolean; needs: string }>
> = {
  auth: {
    has: (i) => i.auth.roleToAssume !== undefined,
    needs: 'role-to-assume: arn:aws:iam::123456789012:role/deploy',
  },
  'ecr-login': {
    has: hasEcrInputs,
    needs: 'ecr-repository: shop/api   (or registries: 123456789012)',
  },
  kubeconfig: { has: (i) => i.kubeconfig.clusterName !== undefined, needs: 'cluster-name: my-cluster' },
  // With uninstall: true, phase deploy is the teardown.
  deploy: {
    has: (i) =>
      i.deploy.release !== undefined &&
      (i.deploy.chart !== undefined || i.deploy.manifests.length > 0 || i.teardown.shouldUninstall),
    needs: 'release: my-app\n  chart: ./charts/my-app   (or manifests: k8s/, or uninstall: true)',
  },
}

/** Whether ecr-login has anything to log in to: an image repository, registries, or an ECR chart. */
function hasEcrInputs(inputs: Inputs): boolean {
  return (
    inputs.ecr.repository !== undefined ||
    inputs.ecr.registries.length > 0 ||
    chartEcrRegistry(inputs.deploy.chart) !== undefined
  )
}
