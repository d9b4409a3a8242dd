/** A service that gave no complete answer in time: which one, where, and for how long. */
export class ServiceTimeoutError extends Error {
  override readonly name = 'TimeoutError'

  constructor(
    /** `STS`, `the helm mirror`, ... */
    readonly service: string,
    readonly endpoint: string | undefined,
    readonly waitedMs: number,
    readonly attempts: number,
    cause?: unknown,
  ) {
    const where = endpoint === undefined ? service : `${service} (${endpoint})`
    const tries = attempts > 1 ? ` over ${attempts} attempts` : ''
    super(
      `${where} gave no complete answer within ${(waitedMs / 1000).toFixed(1)} s${tries}`,
      cause === undefined ? undefined : { cause },
    )
  }
}
