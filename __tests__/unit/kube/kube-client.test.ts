import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { KubeApiError, type KubeApi, type NamespaceApi } from '../../../src/kube/kube-api.js'
import { createKubeClient, type KubeClientParams } from '../../../src/kube/kube-client.js'
import { kubeConnection } from '../../../src/kube/connect.js'
import { RestKube } from '../../../src/kube/rest/client.js'
import { helmRecords, recorded } from '../../fixtures/kube-recorded.js'
import { listenOnLoopback, type LoopbackServer } from '../../fixtures/loopback-server.js'

// The clients against a loopback API server that replays answers recorded from the EKS lab: the
// requests client-node sends for each KubeApi call, and how its answers and refusals come back. The
// plain client (kube/rest/, what kube/connect.ts picks for a kubeconfig with a token or this action's
// own token plugin) must send the same requests and give the same answers and errors.

type Make = (params: KubeClientParams) => Promise<KubeApi & NamespaceApi>
const MAKERS: readonly (readonly [string, Make])[] = [
  ['client-node', createKubeClient],
  ['as connected (the plain client where it can)', (params) => kubeConnection(params)()],
]

interface Asked {
  readonly method: string
  readonly url: string
  readonly search: string
  readonly authorization: string | undefined
  readonly body: string
}

const list = (items: readonly unknown[]): unknown => ({ kind: 'List', apiVersion: 'v1', items })
const status = (code: number, reason: string, message: string): unknown => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
})

const ROUTES: Record<string, readonly [number, unknown]> = {
  'GET /apis/apps/v1/namespaces/rec10/deployments': [200, list(recorded.deployments)],
  'GET /apis/apps/v1/namespaces/rec10/statefulsets': [200, list([])],
  'GET /apis/apps/v1/namespaces/rec10/daemonsets': [200, list([])],
  'GET /apis/apps/v1/namespaces/rec10/replicasets': [200, list(recorded.replicaSets)],
  'GET /apis/batch/v1/namespaces/rec10/jobs': [200, list(recorded.jobs)],
  'GET /api/v1/namespaces/rec10/pods': [200, list(recorded.pods)],
  'GET /api/v1/namespaces/rec10/events': [200, list(recorded.events)],
  'GET /api/v1/namespaces/rec10': [200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'rec10' } }],
  'GET /api/v1/namespaces/gone': [404, status(404, 'NotFound', 'namespaces "gone" not found')],
  'GET /api/v1/namespaces/locked': [
    403,
    status(
      403,
      'Forbidden',
      'namespaces "locked" is forbidden: User "deployer" cannot get resource "namespaces"',
    ),
  ],
  'DELETE /api/v1/namespaces/rec10': [200, status(200, '', '')],
  'GET /api/v1/namespaces/rec-store/secrets': [
    200,
    list([
      ...helmRecords.rec3.secrets,
      { type: 'Opaque', metadata: { labels: { owner: 'helm', name: 'rec3' } }, data: { release: 'eA==' } },
    ]),
  ],
  'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews': [
    201,
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      status: { allowed: false, reason: 'RBAC: no binding' },
    },
  ],
  'POST /apis/authentication.k8s.io/v1/selfsubjectreviews': [
    201,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      status: { userInfo: { username: 'arn:aws:sts::111122223333:assumed-role/deploy/run-1' } },
    },
  ],
  'GET /apis/apps/v1': [
    200,
    {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'apps/v1',
      resources: [
        {
          name: 'deployments',
          singularName: 'deployment',
          namespaced: true,
          kind: 'Deployment',
          verbs: ['get'],
        },
      ],
    },
  ],
}

let server: LoopbackServer
let dir: string
const asked: Asked[] = []
let connections = 0

beforeAll(async () => {
  const api = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://loopback')
      asked.push({
        method: request.method ?? '',
        url: url.pathname,
        search: url.search,
        authorization: request.headers.authorization,
        body,
      })
      const [code, answer] = ROUTES[`${request.method ?? ''} ${url.pathname}`] ?? [
        404,
        status(404, 'NotFound', `the server could not find the requested resource ${url.pathname}`),
      ]
      response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    })
  })
  api.on('connection', () => (connections += 1))
  server = await listenOnLoopback(api)
})

afterAll(() => server.stop())

beforeEach(async () => {
  asked.length = 0
  connections = 0
  dir = await mkdtemp(path.join(os.tmpdir(), 'kube-client-'))
})

afterEach(() => rm(dir, { recursive: true, force: true }))

/** A kubeconfig for the loopback server; `user` is its users[0].user. */
let make: Make = createKubeClient

async function client(
  user: unknown = { token: 'recorded-token' },
  ownTokenScript?: string,
): Promise<KubeApi & NamespaceApi> {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain HTTP unless TLS checks are off (there is no TLS to check on loopback).
    clusters: [{ name: 'lab', cluster: { server: server.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'deployer', user }],
    contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'deployer' } }],
    'current-context': 'lab',
  }
  const kubeconfigPath = path.join(dir, 'kubeconfig')
  await writeFile(kubeconfigPath, JSON.stringify(kubeconfig))
  return make({
    kubeconfigPath,
    jobEnv: {},
    execEnv: { AWS_REGION: 'eu-west-1' },
    requestTimeoutMs: 30_000,
    ...(ownTokenScript === undefined ? {} : { ownTokenScript }),
  })
}

describe.each(MAKERS)('%s', (_name, maker) => {
  beforeEach(() => {
    make = maker
  })

  test('a snapshot lists the six kinds of the namespace, with the kubeconfig token', async () => {
    const snapshot = await (await client()).snapshot('rec10')
    expect(snapshot.deployments.map((d) => d.metadata?.name)).toEqual(
      recorded.deployments.map((d) => d.metadata?.name),
    )
    expect(snapshot.pods).toHaveLength(recorded.pods.length)
    expect(snapshot.jobs).toHaveLength(recorded.jobs.length)
    expect(snapshot.replicaSets).toHaveLength(recorded.replicaSets.length)
    expect(snapshot.statefulSets).toEqual([])
    expect(asked.map((a) => a.authorization)).toEqual(Array<string>(6).fill('Bearer recorded-token'))
  })

  test('events come back as recorded', async () => {
    const events = await (await client()).events('rec10')
    expect(events.map((e) => e.reason)).toEqual(recorded.events.map((e) => e.reason))
  })

  test('an access review asks one SelfSubjectAccessReview per question and keeps the reason', async () => {
    const question = { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'rec10' }
    const answers = await (await client()).reviewAccess([question])
    expect(answers).toEqual([{ ...question, isAllowed: false, reason: 'RBAC: no binding' }])
    const review = JSON.parse(asked[0]?.body ?? '{}') as { spec?: unknown }
    expect(review.spec).toEqual({ resourceAttributes: question })
  })

  test('whoAmI names the user of a SelfSubjectReview', async () => {
    expect(await (await client()).whoAmI(undefined)).toBe(
      'arn:aws:sts::111122223333:assumed-role/deploy/run-1',
    )
  })

  test('findResource reads the API group through discovery', async () => {
    const kube = await client()
    expect(await kube.findResource('apps/v1', 'Deployment')).toEqual({
      group: 'apps',
      resource: 'deployments',
      isNamespaced: true,
    })
    expect(await kube.findResource('apps/v1', 'Rollout')).toBeUndefined()
  })

  test('namespaceExists: 200 is true, 404 is false, 403 is a KubeApiError with the Status message', async () => {
    const kube = await client()
    expect(await kube.namespaceExists('rec10')).toBe(true)
    expect(await kube.namespaceExists('gone')).toBe(false)
    const refused = await kube.namespaceExists('locked').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(KubeApiError)
    expect(refused).toMatchObject({
      status: 403,
      reason: 'Forbidden',
      message:
        'Could not read namespace locked: namespaces "locked" is forbidden: User "deployer" cannot get resource "namespaces" (HTTP 403)',
    })
  })

  test('deleteNamespace sends a DELETE', async () => {
    await (await client()).deleteNamespace('rec10')
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual(['DELETE /api/v1/namespaces/rec10'])
  })

  test("the kubeconfig's exec plugin gets the extra variables, over its own of the same name", async () => {
    // The plugin prints the token it was given in AWS_REGION: the server sees which value won.
    const plugin = path.join(dir, 'plugin.mjs')
    await writeFile(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'region-' + process.env.AWS_REGION } }))`,
    )
    const kube = await client({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: process.execPath,
        args: [plugin],
        env: [{ name: 'AWS_REGION', value: 'us-east-1' }],
        interactiveMode: 'Never',
      },
    })
    await kube.events('rec10')
    expect(asked.map((a) => a.authorization)).toEqual(['Bearer region-eu-west-1'])
  })

  test("this action's own token plugin runs in-process: one EKS token, signed with the exec entry's keys, no process", async () => {
    const own = path.join(dir, 'token', 'index.js')
    const kube = await client(
      {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          // Never started: a process would fail on this path.
          command: path.join(dir, 'no-such-node'),
          args: [own, '--cluster-name', 'lab', '--region', 'eu-west-1'],
          env: [
            { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAOWNPLUGIN0000001' },
            { name: 'AWS_SECRET_ACCESS_KEY', value: 'secret' },
          ],
          interactiveMode: 'Never',
        },
      },
      own,
    )
    await Promise.all([kube.events('rec10'), kube.events('rec10')])
    const tokens = new Set(asked.map((a) => a.authorization))
    expect(tokens.size).toBe(1)
    const [token] = [...tokens]
    expect(token).toMatch(/^Bearer k8s-aws-v1\./)
    const url = new URL(Buffer.from((token ?? '').slice('Bearer k8s-aws-v1.'.length), 'base64url').toString())
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity')
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAOWNPLUGIN0000001\/\d{8}\/eu-west-1\/sts\//)
  })

  test("a release's records in helm's Secret storage: listed by helm's labels, helm's records only, decoded once", async () => {
    const records = await (await client()).readHelmRecords?.('rec-store', 'rec3')
    expect(asked.map((a) => `${a.method} ${a.url}${decodeURIComponent(a.search)}`)).toEqual([
      'GET /api/v1/namespaces/rec-store/secrets?labelSelector=owner=helm,name=rec3',
    ])
    expect(records?.map((record) => record.labels.version)).toEqual(['1', '2'])
    // helm's own base64 of gzip (H4sI), as helm stores it inside the Secret's data.
    expect(records?.every((record) => record.release.startsWith('H4sI'))).toBe(true)
  })

  test('requests share kept-alive connections (client-node alone opens one per request)', async () => {
    const kube = await client()
    for (let i = 0; i < 5; i++) await kube.events('rec10')
    await kube.reviewAccess([{ verb: 'get', group: '', resource: 'pods', namespace: 'rec10' }])
    expect(asked).toHaveLength(6)
    expect(connections).toBe(1)
  })

  test('an access review asked again is answered from the first answer, not sent again', async () => {
    const kube = await client()
    const question = { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'rec10' }
    await kube.reviewAccess([question])
    const [again] = await kube.reviewAccess([question, { ...question, verb: 'patch' }])
    expect(again).toMatchObject({ ...question, isAllowed: false, reason: 'RBAC: no binding' })
    expect(
      asked.map((a) => JSON.parse(a.body) as { spec: { resourceAttributes: { verb: string } } }),
    ).toMatchObject([
      { spec: { resourceAttributes: { verb: 'create' } } },
      { spec: { resourceAttributes: { verb: 'patch' } } },
    ])
  })
})

test('connected: a token or this action’s own token plugin gets the plain client, any other exec plugin client-node', async () => {
  make = (params) => kubeConnection(params)()
  expect(await client()).toBeInstanceOf(RestKube)
  const own = path.join(dir, 'token', 'index.js')
  const exec = (script: string) => ({
    exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'node', args: [script] },
  })
  expect(await client(exec(own), own)).toBeInstanceOf(RestKube)
  expect(await client(exec(path.join(dir, 'other.js')), own)).not.toBeInstanceOf(RestKube)
})
