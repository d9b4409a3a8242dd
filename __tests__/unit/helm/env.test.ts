import path from 'node:path'
import { buildHelmEnv } from '../../../src/helm/env.js'
import { isolatedHelmFiles } from '../../../src/helm/isolation.js'

describe('buildHelmEnv', () => {
  const jobEnv = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    KUBECONFIG: '/job/kubeconfig',
    AWS_REGION: 'us-east-1',
    INPUT_SET: 'password=hunter2',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-secret',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token',
    ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
    UNSET: undefined,
  }

  test("the job's environment, without inputs and runner tokens helm has no use for", () => {
    expect(buildHelmEnv({ jobEnv, extraEnv: {} })).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      KUBECONFIG: '/job/kubeconfig',
      AWS_REGION: 'us-east-1',
    })
  })

  test("the phases' kubeconfig, Docker config and AWS credentials take precedence", () => {
    const env = buildHelmEnv({
      jobEnv,
      kubeconfigPath: '/runner/temp/kubeconfig',
      dockerConfigDir: '/runner/temp/docker',
      extraEnv: { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIA' },
    })
    expect(env).toMatchObject({
      KUBECONFIG: '/runner/temp/kubeconfig',
      DOCKER_CONFIG: '/runner/temp/docker',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIA',
      PATH: '/usr/bin',
    })
  })

  test("helm's own registry config lives in the step's directory, never the runner's home", () => {
    const jobEnvWithHelm = {
      ...jobEnv,
      HELM_REGISTRY_CONFIG: '/home/runner/.config/helm/registry/config.json',
    }
    const dir = path.join('/runner/temp', 'eks-helm-x')
    const env = buildHelmEnv({
      jobEnv: jobEnvWithHelm,
      extraEnv: {},
      helmFiles: isolatedHelmFiles(dir, { kind: 'oci', ref: 'oci://r/c' }),
    })
    expect(env).toMatchObject({
      HELM_REGISTRY_CONFIG: path.join(dir, 'registry', 'config.json'),
      HELM_REPOSITORY_CONFIG: path.join(dir, 'repositories.yaml'),
      HELM_REPOSITORY_CACHE: path.join(dir, 'repository-cache'),
    })
  })
})

describe('isolatedHelmFiles', () => {
  test.each([
    [
      'oci',
      { kind: 'oci', ref: 'oci://r/c' },
      ['HELM_REGISTRY_CONFIG', 'HELM_REPOSITORY_CACHE', 'HELM_REPOSITORY_CONFIG'],
    ],
    [
      'repo',
      { kind: 'repo', name: 'c', repository: 'https://charts.example' },
      ['HELM_REGISTRY_CONFIG', 'HELM_REPOSITORY_CACHE', 'HELM_REPOSITORY_CONFIG'],
    ],
    // `repo/name` of a repository an earlier step added: the job's repository list stays.
    ['path', { kind: 'path', path: 'bitnami/nginx' }, ['HELM_REGISTRY_CONFIG']],
  ] as const)('%s chart: %j', (_kind, chart, names) => {
    expect(Object.keys(isolatedHelmFiles('/t', chart)).sort()).toEqual(names)
  })
})
