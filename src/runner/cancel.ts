import type { Logger } from './runtime.js'

/**
 * The runner's SIGINT/SIGTERM (a cancelled job) as an abort signal, for work that must end cleanly
 * rather than die mid-way: while it listens, Node does not exit on them. `dispose` gives the signals
 * back to Node's default (exit).
 */
export function listenForCancel(
  logger: Pick<Logger, 'warning'>,
  what: string,
): {
  readonly signal: AbortSignal
  dispose(): void
} {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!controller.signal.aborted) logger.warning(`Received ${signal} during ${what}: stopping it cleanly.`)
    controller.abort(signal)
  }
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
    },
  }
}
