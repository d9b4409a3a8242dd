import { boundCalls } from '../../../src/lib/aws-deadline.js'
import { ServiceTimeoutError } from '../../../src/lib/service-timeout.js'

/** An SDK client whose calls never end and never look at their abort signal (resolving credentials). */
function hangingClient(
  onSend: (signal: AbortSignal | undefined) => void = () => undefined,
  answer: () => Promise<unknown> = () => new Promise(() => undefined),
) {
  return {
    send: (...args: [command: never, options?: { abortSignal?: unknown }]): Promise<unknown> => {
      onSend(args[1]?.abortSignal as AbortSignal | undefined)
      return answer()
    },
    middlewareStack: { add: (): void => undefined },
  }
}

const TIMEOUTS = { connectMs: 10, attemptMs: 10, callMs: 60_000 }

test('a call still resolving its credentials ends on the caller’s abort signal, as a timeout of the service', async () => {
  const controller = new AbortController()
  let given: AbortSignal | undefined
  const client = boundCalls(
    hangingClient((signal) => (given = signal)),
    'STS',
    TIMEOUTS,
  )
  const call = client.send({} as never, { abortSignal: controller.signal })
  controller.abort()
  const error: unknown = await call.catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(ServiceTimeoutError)
  expect(String(error)).toMatch(/^TimeoutError: STS gave no complete answer within \d+\.\d s$/)
  expect(given?.aborted).toBe(true)
})

test('a credential source that timed out keeps its own message', async () => {
  const stalled = new ServiceTimeoutError({ service: 'EC2 instance metadata (IMDS)', waitedMs: 20_000 })
  const rejecting = hangingClient(undefined, () => Promise.reject(stalled))
  const client = boundCalls(rejecting, 'STS', TIMEOUTS)
  await expect(client.send({} as never)).rejects.toBe(stalled)
})
