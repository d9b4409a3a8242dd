import type { FieldApi } from './field-api.js'
import { KubeApiError, type KubeApi, type LeaseApi, type NamespaceApi } from './kube-api.js'
import type { KubeClientParams } from './kube-client.js'

/** The client a phase gets: the Kubernetes API port, namespaces, leases, field ownership. */
export type KubeClient = KubeApi & NamespaceApi & LeaseApi

// Every method of KubeClient, sent by name to the client in the thread; FieldApi's as `fields.<name>`.
// Records of every name: a method added to the port and not here (or one here that is not there) is a
// type error.
const CLIENT: Readonly<Record<Exclude<keyof KubeClient, 'fields'>, true>> = {
  snapshot: true,
  events: true,
  podLog: true,
  reviewAccess: true,
  findResource: true,
  namespaceExists: true,
  whoAmI: true,
  readLabels: true,
  patchLabels: true,
  readHelmRecords: true,
  listObjects: true,
  deleteNamespace: true,
  readLease: true,
  createLease: true,
  replaceLease: true,
}
const FIELDS: Readonly<Record<keyof FieldApi, true>> = {
  listLive: true,
  applyDryRun: true,
  listAutoscalers: true,
}
export const CLIENT_METHODS = Object.keys(CLIENT)
export const FIELD_METHODS = Object.keys(FIELDS)

/** To the worker: make a client (one per phase that connects), or call one of its methods. */
export type ToWorker =
  | { readonly type: 'connect'; readonly connection: number; readonly params: KubeClientParams }
  | {
      readonly type: 'call'
      readonly id: number
      readonly connection: number
      readonly method: string
      readonly args: readonly unknown[]
    }

/** From the worker: a client made (or not), a call's value or error. */
export type FromWorker =
  | { readonly type: 'connected'; readonly connection: number; readonly error?: SentError }
  | { readonly type: 'result'; readonly id: number; readonly value?: unknown; readonly error?: SentError }

/** An error as it crosses the thread boundary: what callers read of it (class, status, message, code, cause). */
export interface SentError {
  readonly name: string
  readonly message: string
  readonly status?: number
  readonly reason?: string
  readonly code?: string | number
  readonly cause?: SentError
}

const MAX_CAUSES = 4

export function sendError(error: unknown, depth = 0): SentError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const code = (error as { code?: unknown }).code
  const cause = (error as { cause?: unknown }).cause
  return {
    name: error.name,
    message: error.message,
    ...(error instanceof KubeApiError ? { status: error.status, reason: error.reason } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(cause !== undefined && depth < MAX_CAUSES ? { cause: sendError(cause, depth + 1) } : {}),
  }
}

/** The error again, a KubeApiError where it was one, in this thread. */
export function reviveError(sent: SentError): Error {
  const cause = sent.cause === undefined ? undefined : reviveError(sent.cause)
  const error =
    sent.status === undefined
      ? new Error(sent.message, cause === undefined ? undefined : { cause })
      : new KubeApiError(sent.status, sent.reason ?? '', sent.message)
  error.name = sent.name
  if (sent.code !== undefined) Object.assign(error, { code: sent.code })
  return error
}
