import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { KubeApiError } from '../../../src/kube/kube-api.js'
import type { KubeClientParams } from '../../../src/kube/kube-client.js'
import { bundledScript, KubeWorker, type ClientPort } from '../../../src/kube/worker-client.js'
import { CLIENT_METHODS, FIELD_METHODS, type KubeClient } from '../../../src/kube/worker-protocol.js'
import { serveKube } from '../../../src/kube/worker-serve.js'

// The Kubernetes client's thread, over a MessageChannel in this thread: what crosses (values, errors,
// which client), and that an idle channel never holds the process.

const PARAMS: KubeClientParams = {
  kubeconfigPath: '/tmp/kubeconfig',
  jobEnv: {},
  execEnv: { AWS_REGION: 'eu-west-1' },
  requestTimeoutMs: 1000,
}

/** A client whose methods record their arguments and answer from `answers`. */
function fakeClient(name: string, asked: unknown[][]): KubeClient {
  const method =
    (method: string) =>
    (...args: unknown[]): Promise<unknown> => {
      asked.push([name, method, ...args])
      if (method === 'namespaceExists')
        return Promise.reject(new KubeApiError(403, 'Forbidden', 'namespaces "x" is forbidden'))
      if (method === 'events')
        return Promise.reject(
          new Error('Could not list events: socket hang up', {
            cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
          }),
        )
      if (method === 'snapshot')
        return Promise.resolve({ pods: [{ metadata: { name: 'p', creationTimestamp: new Date(0) } }] })
      return Promise.resolve(`${name}:${method}`)
    }
  const fields = Object.fromEntries(
    FIELD_METHODS.map((m) => [
      m,
      m === 'listLive' ? () => Promise.resolve(new Map([['a', { n: 1 }]])) : method(`fields.${m}`),
    ]),
  )
  return { ...Object.fromEntries(CLIENT_METHODS.map((m) => [m, method(m)])), fields } as unknown as KubeClient
}

interface Counted extends ClientPort {
  readonly refs: () => number
}

/** port1 as the main thread's end, counting what holds the process. */
function counted(port: MessagePort): Counted {
  let held = 0
  return {
    on: (event, listener) => port.on(event, listener),
    postMessage: (message) => {
      port.postMessage(message)
    },
    ref: () => {
      held += 1
      port.ref()
    },
    unref: () => {
      held = Math.max(0, held - 1)
      port.unref()
    },
    refs: () => held,
  }
}

let channel: MessageChannel
let asked: unknown[][]
let made: KubeClientParams[]
beforeEach(() => {
  channel = new MessageChannel()
  asked = []
  made = []
  let n = 0
  serveKube(channel.port2, (params) => {
    made.push(params)
    if (params.kubeconfigPath === '/nope')
      return Promise.reject(new Error('ENOENT: no such file, open /nope'))
    n += 1
    return Promise.resolve(fakeClient(`client${n}`, asked))
  })
})
afterEach(() => {
  channel.port1.close()
  channel.port2.close()
})

test('each method reaches the client made for that connection, with its arguments; values cross as clones', async () => {
  const port = counted(channel.port1)
  const worker = new KubeWorker(port)
  const [first, second] = await Promise.all([
    worker.connect(PARAMS),
    worker.connect({ ...PARAMS, jobEnv: { HOME: '/h' } }),
  ])
  expect(made).toEqual([PARAMS, { ...PARAMS, jobEnv: { HOME: '/h' } }])
  expect(await first.reviewAccess([{ verb: 'get', group: '', resource: 'pods', namespace: 'ns' }])).toBe(
    'client1:reviewAccess',
  )
  expect(await second.readLease('ns', 'lock')).toBe('client2:readLease')
  expect(await first.fields?.applyDryRun({ kind: 'Deployment' }, 'helm')).toBe('client1:fields.applyDryRun')
  expect(await first.fields?.listLive('apps/v1', 'Deployment', 'ns')).toEqual(new Map([['a', { n: 1 }]]))
  const snapshot = await first.snapshot('ns', { isProgressive: true })
  expect(snapshot.pods[0]?.metadata?.creationTimestamp).toEqual(new Date(0))
  expect(asked).toEqual([
    ['client1', 'reviewAccess', [{ verb: 'get', group: '', resource: 'pods', namespace: 'ns' }]],
    ['client2', 'readLease', 'ns', 'lock'],
    ['client1', 'fields.applyDryRun', { kind: 'Deployment' }, 'helm'],
    ['client1', 'snapshot', 'ns', { isProgressive: true }],
  ])
  // Nothing out: the channel holds nothing open.
  expect(port.refs()).toBe(0)
})

test('every method of the port is forwarded, the fields too', async () => {
  const client = await new KubeWorker(counted(channel.port1)).connect(PARAMS)
  expect(Object.keys(client).sort()).toEqual([...CLIENT_METHODS, 'fields'].sort())
  expect(Object.keys(client.fields ?? {}).sort()).toEqual([...FIELD_METHODS].sort())
})

test("the API server's refusal is a KubeApiError again; another error keeps its message, code and cause", async () => {
  const client = await new KubeWorker(counted(channel.port1)).connect(PARAMS)
  const refused = await client.namespaceExists('x').catch((error: unknown) => error)
  expect(refused).toBeInstanceOf(KubeApiError)
  expect(refused).toMatchObject({ status: 403, reason: 'Forbidden', message: 'namespaces "x" is forbidden' })
  const failed = await client.events('x').catch((error: unknown) => error)
  expect(failed).toBeInstanceOf(Error)
  expect(failed).not.toBeInstanceOf(KubeApiError)
  expect(failed).toMatchObject({
    message: 'Could not list events: socket hang up',
    cause: { message: 'reset', code: 'ECONNRESET' },
  })
})

test('a client that cannot be made fails the connection with why', async () => {
  await expect(
    new KubeWorker(counted(channel.port1)).connect({ ...PARAMS, kubeconfigPath: '/nope' }),
  ).rejects.toThrow('ENOENT: no such file, open /nope')
})

test('when the thread ends, the calls out and every later one fail with why; the process is let go', async () => {
  const port = counted(channel.port1)
  const worker = new KubeWorker(port)
  const client = await worker.connect(PARAMS)
  channel.port2.removeAllListeners('message') // the thread hangs: nothing answers
  const out = client.whoAmI(undefined)
  expect(port.refs()).toBe(1)
  worker.fail(new Error("The Kubernetes client's thread ended (exit code 1)."))
  await expect(out).rejects.toThrow('thread ended (exit code 1)')
  await expect(client.podLog('ns', 'p', { container: 'c', tailLines: 5, previous: false })).rejects.toThrow(
    'thread ended',
  )
  expect(port.refs()).toBe(0)
})

test("the thread's script is dist/kube-worker/index.js, from the main bundle, its chunks or the post step's", () => {
  expect(bundledScript('kube-worker', 'file:///a/dist/index.js')).toBe('/a/dist/kube-worker/index.js')
  expect(bundledScript('kube-worker', 'file:///a/dist/959.index.js')).toBe('/a/dist/kube-worker/index.js')
  expect(bundledScript('token', 'file:///a/dist/post/index.js')).toBe('/a/dist/token/index.js')
})

test('a thread started and never asked holds nothing (a deploy refused before it reaches the cluster)', () => {
  const { port1, port2 } = new MessageChannel()
  // Adding a 'message' listener refs a port: the client unrefs it after listening.
  new KubeWorker(port1)
  expect((port1 as unknown as { hasRef(): boolean }).hasRef()).toBe(false)
  port1.close()
  port2.close()
})
