import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { KubeClientParams } from './kube-client.js'
import {
  CLIENT_METHODS,
  FIELD_METHODS,
  reviveError,
  type FromWorker,
  type KubeClient,
  type ToWorker,
} from './worker-protocol.js'

/** The main thread's end: the Worker, or one end of a MessageChannel in a test. */
export interface ClientPort {
  on(event: 'message', listener: (message: FromWorker) => void): unknown
  postMessage(message: ToWorker): void
  /** While a call is out, the port holds the process open; idle, it never does. */
  ref(): void
  unref(): void
}

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

/**
 * @kubernetes/client-node is a 4.3 MB module of about a thousand generated classes: loading it took
 * 300-600 ms of the one JavaScript thread, while auth waited for STS and the rest of the deploy's head
 * start waited for it. Here it loads, and every request runs, in a worker thread of its own (the
 * second core): the phases call the same KubeClient, whose methods cross as messages (values as
 * structured clones, errors as what callers read of them, KubeApiError kept). Nothing the thread
 * prints reaches the job log (its entry drops it).
 */
export class KubeWorker {
  private nextId = 1
  private nextConnection = 1
  private readonly calls = new Map<number, Pending>()
  private readonly connects = new Map<number, Pending>()
  private gone: Error | undefined

  constructor(private readonly port: ClientPort) {
    port.on('message', (message) => {
      this.settle(message)
    })
    // After the listener: adding a 'message' listener refs the port again, and a thread started but never
    // asked (a deploy refused before it reaches the cluster) would then hold the process forever.
    port.unref()
  }

  /** A client of its own in the worker, made from `params` (the kubeconfig, the token plugin's environment). */
  async connect(params: KubeClientParams): Promise<KubeClient> {
    const connection = this.nextConnection++
    await this.send({ type: 'connect', connection, params }, this.connects, connection)
    const call =
      (method: string) =>
      (...args: unknown[]) =>
        this.send({ type: 'call', id: this.nextId, connection, method, args }, this.calls, this.nextId++)
    const fields = Object.fromEntries(FIELD_METHODS.map((name) => [name, call(`fields.${name}`)]))
    return {
      ...Object.fromEntries(CLIENT_METHODS.map((name) => [name, call(name)])),
      fields,
    } as unknown as KubeClient
  }

  /** The worker ended (it crashed, or exited): every call out fails with why, and every later one. */
  fail(error: Error): void {
    this.gone ??= error
    for (const pending of [...this.calls.values(), ...this.connects.values()]) pending.reject(error)
    this.calls.clear()
    this.connects.clear()
    this.port.unref()
  }

  private send(message: ToWorker, into: Map<number, Pending>, key: number): Promise<unknown> {
    if (this.gone !== undefined) return Promise.reject(this.gone)
    return new Promise((resolve, reject) => {
      if (this.calls.size + this.connects.size === 0) this.port.ref()
      into.set(key, { resolve, reject })
      this.port.postMessage(message)
    })
  }

  private settle(message: FromWorker): void {
    const [into, key] =
      message.type === 'connected' ? [this.connects, message.connection] : [this.calls, message.id]
    const pending = into.get(key)
    if (pending === undefined) return
    into.delete(key)
    if (this.calls.size + this.connects.size === 0) this.port.unref()
    if (message.error === undefined) pending.resolve(message.type === 'result' ? message.value : undefined)
    else pending.reject(reviveError(message.error))
  }
}

let shared: KubeWorker | undefined

/**
 * The process's one worker, started on the first call (the deploy's head start, at the step's start);
 * undefined where there is no bundle to run in it (the sources under test): the client then runs here.
 */
export function startKubeWorker(script = workerScript()): KubeWorker | undefined {
  if (shared !== undefined) return shared
  if (!existsSync(script)) return undefined
  const worker = new Worker(script)
  const kube = new KubeWorker(worker)
  worker.on('error', (error) => {
    kube.fail(new Error(`The Kubernetes client's thread failed: ${error.message}`))
  })
  worker.on('exit', (code) => {
    kube.fail(new Error(`The Kubernetes client's thread ended (exit code ${code}).`))
  })
  shared = kube
  return kube
}

/**
 * dist/<folder>/index.js of this action, found from this module's own URL: dist/index.js or a chunk
 * beside it, or dist/post/…, the post step's bundle. (Not `new URL(..., import.meta.url)`, which ncc
 * would copy as an asset.)
 */
export function bundledScript(folder: string, moduleUrl = import.meta.url): string {
  const dir = path.dirname(fileURLToPath(moduleUrl))
  const dist = ['post', 'token', 'kube-worker'].includes(path.basename(dir)) ? path.dirname(dir) : dir
  return path.join(dist, folder, 'index.js')
}

/**
 * The client in this thread, where no bundle runs it in its own. The specifier is one the bundler does
 * not follow, so client-node stays out of the main bundle (4.3 MB that no step would load).
 */
export function loadInProcess(): Promise<typeof import('./in-process.js')> {
  const specifier = './in-process.js'
  return import(/* webpackIgnore: true */ specifier) as Promise<typeof import('./in-process.js')>
}

function workerScript(): string {
  return bundledScript('kube-worker')
}
