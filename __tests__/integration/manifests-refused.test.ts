import { promises as fs } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { makeRunnerFiles, runAction, type RunnerFiles } from '../fixtures/action-runner.js'
import { listenOnLoopback, type LoopbackServer } from '../fixtures/loopback-server.js'

// Every service the action could reach (OIDC, STS, ECR, EKS, the helm mirror) is this server: a refused
// input must fail the step before any request reaches it.
let server: LoopbackServer
const requests: string[] = []
let files: RunnerFiles & { cleanup(): Promise<void> }

beforeAll(async () => {
  server = await listenOnLoopback(
    http.createServer((request, response) => {
      requests.push(`${request.method ?? ''} ${request.url ?? ''}`)
      response.writeHead(500).end()
    }),
  )
  files = await makeRunnerFiles()
  // GITHUB_WORKSPACE of these runs is files.dir: the checkout the manifests are read from.
  await fs.mkdir(path.join(files.dir, 'k8s'))
  await fs.writeFile(
    path.join(files.dir, 'k8s', 'web.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
  )
  await fs.writeFile(
    path.join(files.dir, 'k8s', 'system.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: kube-system}\n',
  )
})
afterAll(async () => {
  await server.stop()
  await files.cleanup()
})

const errorLine = (stdout: string): string => /^::error::(.*)$/m.exec(stdout)?.[1] ?? ''

async function refused(inputs: Record<string, string>) {
  const before = requests.length
  const run = await runAction({
    files,
    inputs: {
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      'aws-region': 'eu-west-1',
      'ecr-repository': 'shop/api',
      'cluster-name': 'prod',
      release: 'web',
      namespace: 'shop',
      'helm-mirror': server.url,
      ...inputs,
    },
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/token`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer',
      AWS_ENDPOINT_URL: server.url,
    },
  })
  expect(run.exitCode).toBe(1)
  expect(requests.length - before).toBe(0)
  return errorLine(run.stdout)
}

describe('manifests refused before any network call (the bundled action)', () => {
  test('chart and manifests together', async () => {
    expect(await refused({ chart: './charts/web', manifests: 'k8s/' })).toContain(
      "Input 'manifests': cannot be given with 'chart': a release comes from one of them.",
    )
  })

  test('a glob that matches nothing, with set beside it', async () => {
    const error = await refused({ manifests: 'deploy/*.yaml', set: 'replicas=2' })
    expect(error).toContain("Input 'set': has no effect with 'manifests'")
    const glob = await refused({ manifests: 'deploy/*.yaml' })
    expect(glob).toContain(
      `Input 'manifests': 1 problem:%0A- 'deploy/*.yaml' matches no file under ${files.dir}.`,
    )
  })

  test('an object naming another namespace', async () => {
    expect(await refused({ manifests: 'k8s/' })).toContain(
      "k8s/system.yaml, document 1: ConfigMap/kube-system/cm names namespace 'kube-system', but the release is in 'shop'",
    )
  })
})
