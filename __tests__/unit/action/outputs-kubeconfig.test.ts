import { parseInputs } from '../../../src/inputs/parse.js'
import { collectExportedEnv, collectOutputs } from '../../../src/action/outputs.js'
import type { RunResults } from '../../../src/action/results.js'
import { readRunnerContext } from '../../../src/runner/context.js'
import { renderSummary } from '../../../src/action/summary.js'

const NO_HIDING = { hide: (text: string): string => text }

function results(inputValues: Record<string, string>): RunResults {
  const values = new Map(
    Object.entries({ 'aws-region': 'eu-west-1', 'cluster-name': 'prod', ...inputValues }),
  )
  const context = readRunnerContext({}, { os: 'linux', arch: 'x64', tmpdir: '/tmp' })
  const inputs = parseInputs((name) => values.get(name) ?? '', context)
  return {
    inputs,
    auth: undefined,
    ecr: undefined,
    deploy: undefined,
    kubeconfig: {
      path: '/runner/tmp/eks-kubeconfig-x/kubeconfig',
      clusterName: 'prod',
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
      version: '1.31',
      auth: 'exec',
      createdPaths: ['/runner/tmp/eks-kubeconfig-x'],
    },
    teardown: undefined,
    github: undefined,
  }
}

test('the kubeconfig outputs', () => {
  expect(collectOutputs(results({}))).toEqual({
    kubeconfig: '/runner/tmp/eks-kubeconfig-x/kubeconfig',
    'cluster-endpoint': 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    'cluster-arn': 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
    'cluster-version': '1.31',
  })
})

test.each([
  ['true', { KUBECONFIG: '/runner/tmp/eks-kubeconfig-x/kubeconfig' }],
  ['false', {}],
])('export-kubeconfig: %s', (exportKubeconfig, expected) => {
  expect(collectExportedEnv(results({ 'export-kubeconfig': exportKubeconfig }))).toEqual(expected)
})

test('the summary names the cluster, its version, region and endpoint', () => {
  const summary = renderSummary({ results: results({}), spans: [], failure: undefined }, NO_HIDING)
  expect(summary).toContain('| Cluster | `prod` (Kubernetes 1.31, eu-west-1) |')
  expect(summary).toContain('| Endpoint | https://ABC.gr7.eu-west-1.eks.amazonaws.com |')
})
