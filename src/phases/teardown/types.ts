import type { Env } from '../../lib/env.js'
import type { ActionError } from '../../lib/errors.js'
import type { HelmSetup } from '../../helm/cli.js'

/** Phase deploy with `uninstall: true`, as the plan validated it: the release and its namespace go. */
export interface TeardownParams {
  readonly release: string
  readonly namespace: string
  /** delete-namespace: the namespace too, unless it holds other releases (default and kube-* never). */
  readonly shouldDeleteNamespace: boolean
  /** How long helm waits for the release's objects to go, and the namespace wait after it (Go duration). */
  readonly timeout: string
  readonly timeoutSeconds: number
  readonly helm: HelmSetup
  readonly region: string
  readonly jobEnv: Env
  readonly runnerTemp: string
}

/** What became of the namespace. */
export type NamespaceOutcome = 'deleted' | 'terminating' | 'absent' | 'kept'

export interface TeardownResult {
  readonly helmVersion: string
  readonly release: string
  readonly namespace: string
  /** The release's newest revision before the teardown; undefined when there was no such release. */
  readonly previousRevision: number | undefined
  /** helm uninstall removed it (false too when there was nothing to remove). */
  readonly isUninstalled: boolean
  readonly namespaceOutcome: NamespaceOutcome
  /** Set when the teardown failed: outputs are written first, then the step fails with it. */
  readonly failure: ActionError | undefined
}
