import type { RecordedCall } from './counting-proxy.js'
import { firstError } from './processes.js'

export type Outcome =
  | { readonly kind: 'ok' }
  /** The bundle does not have this phase yet: reported as n/a, not as a failure. */
  | { readonly kind: 'na'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string }

interface Exited {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr?: string
}

const has = (calls: readonly RecordedCall[], service: string, operation: string): boolean =>
  calls.some((c) => c.service === service && c.operation === operation)

/**
 * A full run counts only when it did the full work. Before the ecr-login and kubeconfig phases
 * are merged, the bundle either refuses the phase list or runs only auth: n/a, not a failure.
 * Any other error is a failure, so a broken phase never hides behind "n/a".
 */
export function judgeFullRun(run: Exited, calls: readonly RecordedCall[]): Outcome {
  if (run.exitCode !== 0) {
    const error = firstError(run.stdout) ?? `exit code ${run.exitCode}`
    // The message, without its hint (after the first blank line), on one line.
    const said = (error.split('\n\n')[0] ?? error).replace(/\n+/g, ' ')
    return /not implemented|'phases'|is not a phase/i.test(said)
      ? { kind: 'na', reason: `phase not in this build; the action said: ${said}` }
      : { kind: 'failed', reason: said }
  }
  const isImageCheck = (c: RecordedCall): boolean =>
    c.service === 'ECR' && c.operation !== 'GetAuthorizationToken'
  const missing = [
    ...(has(calls, 'ECR', 'GetAuthorizationToken') ? [] : ['ecr-login']),
    ...(calls.some(isImageCheck) ? [] : ['image check']),
    ...(has(calls, 'EKS', 'DescribeCluster') ? [] : ['kubeconfig']),
  ]
  return missing.length === 0
    ? { kind: 'ok' }
    : {
        kind: 'na',
        reason: `phase not in this build: ${missing.join(', ')}; the run made none of their calls`,
      }
}

/** Exit code 0, or a failure quoting the process's last words. */
export function judgeExit(run: Exited, what: string): Outcome {
  if (run.exitCode === 0) return { kind: 'ok' }
  const text = firstError(run.stdout) ?? run.stderr?.trim().split('\n').at(-1) ?? ''
  return { kind: 'failed', reason: `${what} exited ${run.exitCode}: ${text.split('\n')[0] ?? ''}` }
}

/** The cold-start run must stop in its input check, before any network call. */
export function judgeInputError(run: Exited, calls: readonly RecordedCall[]): Outcome {
  if (run.exitCode === 1 && /Invalid input/.test(run.stdout) && calls.length === 0) return { kind: 'ok' }
  return {
    kind: 'failed',
    reason: `expected an input error before any call; got exit ${run.exitCode} after ${calls.length} call(s)`,
  }
}

/** An ExecCredential holding an EKS token, as kubectl and helm expect from the exec plugin. */
export function judgeToken(run: Exited, what: string): Outcome {
  const stderr = run.stderr ?? ''
  if (run.exitCode !== 0) {
    const last = stderr.trim().split('\n').at(-1) ?? ''
    return /not implemented/i.test(stderr)
      ? { kind: 'na', reason: `phase not in this build; ${what} said: ${last}` }
      : { kind: 'failed', reason: `${what} exited ${run.exitCode}: ${last}` }
  }
  try {
    const credential = JSON.parse(run.stdout) as { kind?: unknown; status?: { token?: unknown } }
    const token = credential.status?.token
    if (credential.kind === 'ExecCredential' && typeof token === 'string' && token.startsWith('k8s-aws-v1.'))
      return { kind: 'ok' }
  } catch {
    // not JSON: the failure below says so
  }
  return { kind: 'failed', reason: `${what} printed no ExecCredential with a k8s-aws-v1. token` }
}
