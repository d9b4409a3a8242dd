import path from 'node:path'
import type { ChartRef } from '../inputs/types.js'

/**
 * helm's own files for the step, in a directory of its own (removed by the post step), so nothing a
 * self-hosted runner's home holds reaches the deploy: helm reads its registry config
 * (~/.config/helm/registry/config.json) before DOCKER_CONFIG, so a stale `helm registry login` for
 * an ECR host would shadow this step's fresh ECR login (HTTP 401 pulling the chart), and another
 * job's login would leak into this one. Registry logins then come from DOCKER_CONFIG alone.
 * https://helm.sh/docs/helm/helm/ (HELM_REGISTRY_CONFIG, HELM_REPOSITORY_CONFIG, HELM_REPOSITORY_CACHE)
 */
export function isolatedHelmFiles(dir: string, chart: ChartRef): Record<string, string> {
  const registry = { HELM_REGISTRY_CONFIG: path.join(dir, 'registry', 'config.json') }
  switch (chart.kind) {
    case 'oci':
    case 'repo':
      // The repository list and index cache: a stale entry for the chart's URL (with old
      // credentials) or a stale index would otherwise be used for `--repo`.
      return {
        ...registry,
        HELM_REPOSITORY_CONFIG: path.join(dir, 'repositories.yaml'),
        HELM_REPOSITORY_CACHE: path.join(dir, 'repository-cache'),
      }
    case 'path':
      // `repo/name` may name a repository an earlier step added with `helm repo add`: keep the job's list.
      return registry
  }
}
