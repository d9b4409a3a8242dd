import { buildHelmEnv } from '../../../../src/phases/deploy/helm/env.js'

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
})
