/**
 * Sets the process's exit code and, should anything still hold the process `graceMs` later (a
 * socket or a child a library left behind), ends it then: for a process that others wait on, such
 * as the token plugin under kubectl and helm, which set no time limit of their own.
 */
export function exitWithin(code: number, graceMs: number): void {
  process.exitCode = code
  setTimeout(() => process.exit(code), graceMs).unref()
}
