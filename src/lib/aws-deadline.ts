import { ServiceTimeoutError } from './service-timeout.js'

/**
 * Time bounds of every AWS call. In this SDK `requestTimeout` alone only logs a warning: with
 * `throwOnRequestTimeout` an attempt that gets no answer is cut and retried, and an abort signal per
 * call cuts the whole call, the SDK's retries and an answer that drips one byte at a time included.
 */
export interface AwsTimeouts {
  /** Connecting (TCP and TLS). */
  readonly connectMs: number
  /** One attempt waits this long for the answer's headers, then the SDK cuts it and retries. */
  readonly attemptMs: number
  /** One call, every attempt and the whole answer included. */
  readonly callMs: number
}

/** 3 SDK attempts of at most 15 s fit in the 60 s of a call; no AWS call keeps the step 90 s. */
export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectMs: 5_000, attemptMs: 15_000, callMs: 60_000 }

/** The options of @smithy/node-http-handler that make its timeouts effective. */
export function requestHandlerOptions(timeouts: AwsTimeouts) {
  return {
    connectionTimeout: timeouts.connectMs,
    requestTimeout: timeouts.attemptMs,
    throwOnRequestTimeout: true,
  }
}

interface SdkClient {
  send(command: never, options?: { abortSignal?: unknown }): Promise<unknown>
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: 'finalizeRequest'; name: string; override: boolean }): void
  }
}

type Sender = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>

/**
 * Bounds every `send` of `client` by `timeouts.callMs` (and by the caller's own abort signal, when it
 * gives one), and turns a timeout into a ServiceTimeoutError naming the service and its endpoint.
 */
export function boundCalls<C extends SdkClient>(
  client: C,
  service: string,
  timeouts: AwsTimeouts,
  /** Called as each request, signed, goes to the HTTP handler. */
  onRequest?: () => void,
): C {
  // The endpoint the client sends to, for the message: one client talks to one regional endpoint.
  let endpoint: string | undefined
  client.middlewareStack.add(
    (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => {
      endpoint = hostOf(args.request) ?? endpoint
      onRequest?.()
      return next(args)
    },
    { step: 'finalizeRequest', name: 'eksDeployActionEndpoint', override: true },
  )
  const send = (client.send as Sender).bind(client)
  const bounded: Sender = async (command, options = {}) => {
    const started = Date.now()
    const deadline = AbortSignal.timeout(timeouts.callMs)
    const signal =
      options.abortSignal === undefined ? deadline : AbortSignal.any([options.abortSignal, deadline])
    try {
      return await untilAborted(send(command, { ...options, abortSignal: signal }), signal)
    } catch (error) {
      // A credential source that stalled names itself (ambient-credentials.ts).
      if (error instanceof ServiceTimeoutError) throw error
      if (!signal.aborted && !isSdkTimeout(error)) throw error
      // The SDK's own timeout error says which limit it hit; our abort's "Request aborted" says nothing.
      const cause = signal.aborted ? undefined : error
      throw new ServiceTimeoutError({
        service,
        endpoint,
        waitedMs: Date.now() - started,
        attempts: attemptsOf(error),
        cause,
      })
    }
  }
  Object.defineProperty(client, 'send', { value: bounded })
  return client
}

/**
 * The SDK looks at the abort signal only while a request is on the wire: resolving the client's
 * credentials, before it, would ignore it.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
    }
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    void work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort)
    })
  })
}

function isSdkTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError'
}

function hostOf(request: unknown): string | undefined {
  const r = request as { protocol?: unknown; hostname?: unknown; port?: unknown }
  if (typeof r.hostname !== 'string') return undefined
  const port = typeof r.port === 'number' ? `:${r.port}` : ''
  return `${typeof r.protocol === 'string' ? r.protocol : 'https:'}//${r.hostname}${port}`
}

function attemptsOf(error: unknown): number {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | undefined)?.$metadata?.attempts
  return typeof attempts === 'number' ? attempts : 1
}
