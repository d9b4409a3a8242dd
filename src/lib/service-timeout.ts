export interface ServiceTimeout {
  /** `STS`, `the runner's OIDC token endpoint`, `https://get.helm.sh`. */
  readonly service: string
  readonly endpoint?: string | undefined
  readonly waitedMs: number
  readonly attempts?: number
  /** It stopped sending for waitedMs (a stall), rather than not finishing within it. */
  readonly isIdle?: boolean
  readonly cause?: unknown
}

/** A service that gave no complete answer in time: which one, where, and for how long. */
export class ServiceTimeoutError extends Error {
  override readonly name = 'TimeoutError'
  readonly service: string
  readonly waitedMs: number

  constructor(timeout: ServiceTimeout) {
    const { service, endpoint, waitedMs, attempts = 1, isIdle = false, cause } = timeout
    const where = endpoint === undefined ? service : `${service} (${endpoint})`
    const what = isIdle ? 'sent nothing for' : 'gave no complete answer within'
    const tries = attempts > 1 ? ` over ${attempts} attempts` : ''
    super(
      `${where} ${what} ${(waitedMs / 1000).toFixed(1)} s${tries}`,
      cause === undefined ? undefined : { cause },
    )
    this.service = service
    this.waitedMs = waitedMs
  }
}
