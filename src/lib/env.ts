/** A process environment as read, never written: the job's (RunnerContext.env) or a child's. */
export type Env = Readonly<Record<string, string | undefined>>

/** The trimmed value of a variable, or undefined when it is unset or blank. */
export function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === undefined || value === '' ? undefined : value
}
