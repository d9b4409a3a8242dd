import { AsyncLocalStorage } from 'node:async_hooks'
import diagnostics from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'

/**
 * A deadline for work done by a library that gives no way to bound it: the AWS SDK's container
 * (EKS Pod Identity, ECS) and instance-metadata credential providers make their own HTTP requests,
 * whose request timeout only logs a warning and which take no abort signal, so an endpoint that
 * accepts and never answers, or drips, holds them for hours. Every HTTP(S) request the work starts
 * (found through Node's `http.client.request.start` diagnostics channel, scoped to this work with
 * AsyncLocalStorage) is destroyed at the deadline, and any it starts afterwards at once: the work
 * ends, and no socket it left open keeps the process alive.
 */
interface Scope {
  readonly requests: Set<ClientRequest>
  expired: Error | undefined
}

const scopes = new AsyncLocalStorage<Scope>()
let isSubscribed = false

function onRequestStart(message: unknown): void {
  const scope = scopes.getStore()
  if (scope === undefined) return
  const { request } = message as { request: ClientRequest }
  const expired = scope.expired
  if (expired !== undefined) {
    // Published from the request's constructor: destroy it once it is whole.
    process.nextTick(() => request.destroy(expired))
    return
  }
  scope.requests.add(request)
  request.once('close', () => scope.requests.delete(request))
}

/** `work()`, or `timeoutError()` after `ms` with every HTTP request `work` started destroyed. */
export async function withRequestDeadline<T>(
  work: () => Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  if (!isSubscribed) {
    diagnostics.subscribe('http.client.request.start', onRequestStart)
    isSubscribed = true
  }
  const scope: Scope = { requests: new Set(), expired: undefined }
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = timeoutError()
      scope.expired = error
      for (const request of scope.requests) request.destroy(error)
      reject(error)
    }, ms)
  })
  try {
    return await Promise.race([scopes.run(scope, work), deadline])
  } finally {
    clearTimeout(timer)
  }
}
