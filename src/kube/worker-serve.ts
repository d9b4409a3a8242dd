import type { KubeClientParams } from './kube-client.js'
import { sendError, type FromWorker, type KubeClient, type ToWorker } from './worker-protocol.js'

/** What the worker listens on: its parentPort, or one end of a MessageChannel in a test. */
export interface ServerPort {
  on(event: 'message', listener: (message: ToWorker) => void): unknown
  postMessage(message: FromWorker): void
}

/**
 * The worker's side: makes a client per `connect` and answers each `call` with its value or error.
 * Values cross as structured clones (client-node's model objects arrive as plain objects, Dates kept).
 */
export function serveKube(port: ServerPort, create: (params: KubeClientParams) => Promise<KubeClient>): void {
  const clients = new Map<number, Promise<KubeClient>>()
  port.on('message', (message) => {
    if (message.type === 'connect') {
      const client = create(message.params)
      clients.set(message.connection, client)
      client.then(
        () => {
          port.postMessage({ type: 'connected', connection: message.connection })
        },
        (error: unknown) => {
          port.postMessage({ type: 'connected', connection: message.connection, error: sendError(error) })
        },
      )
      return
    }
    void answer(clients.get(message.connection), message).then((reply) => {
      port.postMessage(reply)
    })
  })
}

async function answer(
  client: Promise<KubeClient> | undefined,
  call: Extract<ToWorker, { type: 'call' }>,
): Promise<FromWorker> {
  try {
    if (client === undefined) throw new Error(`No Kubernetes client ${call.connection} in the worker.`)
    const value: unknown = await invoke(await client, call.method, call.args)
    return { type: 'result', id: call.id, value }
  } catch (error) {
    return { type: 'result', id: call.id, error: sendError(error) }
  }
}

type Method = (...args: readonly unknown[]) => unknown

function invoke(client: KubeClient, method: string, args: readonly unknown[]): unknown {
  const isField = method.startsWith('fields.')
  const owner = (isField ? client.fields : client) as Readonly<Record<string, unknown>> | undefined
  const fn = owner?.[isField ? method.slice('fields.'.length) : method]
  if (typeof fn !== 'function') throw new Error(`The Kubernetes client has no method ${method}.`)
  return (fn as Method).apply(owner, [...args])
}
