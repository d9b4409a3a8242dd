import type { RunnerContext } from '../runner/context.js'

/** The typed, validated inputs: read once by parseInputs, never by any other module. */

export const PHASE_NAMES = ['auth', 'ecr-login', 'kubeconfig', 'deploy'] as const
export type PhaseName = (typeof PHASE_NAMES)[number]
export type PhaseSelection =
  { readonly kind: 'auto' } | { readonly kind: 'list'; readonly phases: readonly PhaseName[] }

export interface AuthInputs {
  readonly roleToAssume: string | undefined
  /** role-chaining: assume role-to-assume with the job's current credentials instead of GitHub OIDC. */
  readonly isRoleChaining: boolean
  readonly audience: string
  readonly roleSessionName: string
  readonly roleDurationSeconds: number
  readonly inlineSessionPolicy: string | undefined
  readonly managedSessionPolicies: readonly string[]
  readonly shouldExportCredentials: boolean
  readonly shouldMaskAccountId: boolean
  readonly allowedAccountIds: readonly string[]
}

export type ShaSource = 'auto' | 'head' | 'merge' | 'workflow-run'
export type RegistryRef =
  | { readonly kind: 'account'; readonly accountId: string }
  | { readonly kind: 'host'; readonly host: string; readonly accountId: string; readonly region: string }

export interface EcrInputs {
  readonly repository: string | undefined
  readonly registries: readonly RegistryRef[]
  readonly imageTag: string | undefined
  readonly shaSource: ShaSource
  /** 7 by default; 40 for `full`. */
  readonly tagLength: number
  readonly tagPrefix: string
  readonly tagSuffix: string
  readonly imageDigest: string | undefined
  /** `auto`: check when the deploy phase runs. */
  readonly requireImage: 'auto' | boolean
  readonly imageWaitSeconds: number
  readonly shouldSkipLogout: boolean
}

export type KubeconfigAuth = 'exec' | 'token'

type DryRunDiff = 'redacted' | 'keys-only'
export interface KubeconfigInputs {
  readonly clusterName: string | undefined
  readonly clusterRoleArn: string | undefined
  readonly auth: KubeconfigAuth
  readonly shouldExportKubeconfig: boolean
}

export type ChartRef =
  | { readonly kind: 'oci'; readonly ref: string }
  | { readonly kind: 'repo'; readonly name: string; readonly repository: string }
  /** A local directory or packaged chart, or `repo/name` of a repository added by an earlier step. */
  | { readonly kind: 'path'; readonly path: string }
export type HelmVersion = { readonly kind: 'system' } | { readonly kind: 'release'; readonly version: string }
export interface KeyValue {
  readonly key: string
  readonly value: string
}

type LockMode = 'true' | 'false' | 'required'

export interface DeployInputs {
  readonly release: string | undefined
  readonly chart: ChartRef | undefined
  /** `manifests`: directories, files or globs of plain Kubernetes YAML (never given with `chart`). */
  readonly manifests: readonly string[]
  readonly chartVersion: string | undefined
  readonly namespace: string
  readonly shouldCreateNamespace: boolean
  readonly valuesFiles: readonly string[]
  readonly set: readonly KeyValue[]
  readonly setString: readonly KeyValue[]
  readonly imageRepositoryKey: string
  readonly imageTagKey: string
  readonly isAtomic: boolean
  readonly shouldWait: boolean
  /** Go duration as given (`5m`, at least 1s), and the same in whole seconds, rounded up. */
  readonly timeout: string
  readonly timeoutSeconds: number
  readonly historyMax: number
  readonly helmArgs: readonly string[]
  readonly isDryRun: boolean
  /**
   * dry-run-diff: `redacted` shows each object's diff with user-supplied values and Secret data as
   * fingerprints; `keys-only` shows only the paths of the fields that change.
   */
  readonly dryRunDiff: DryRunDiff
  /** fail-fast: stop helm (SIGTERM: it rolls back) as soon as the rollout cannot succeed. */
  readonly isFailFast: boolean
  /** preflight: SelfSubjectAccessReviews of what the release needs, before helm runs. */
  readonly isPreflight: boolean
  /** log-lines: lines of each failing container's log in the diagnosis (0: none). */
  readonly logLines: number
  /** recover-pending: roll back a release left pending by a killed deploy (older than timeout). */
  readonly shouldRecoverPending: boolean
  /** skip-unchanged: no upgrade (no new revision) when a dry run finds nothing would change. */
  readonly shouldSkipUnchanged: boolean
  /** lock: `true` takes the release lock when the identity may, `required` refuses without it, `false` never. */
  readonly lock: LockMode
  /** lock-timeout in whole seconds: how long to wait for a lock another deploy holds. */
  readonly lockTimeoutSeconds: number
  readonly helmVersion: HelmVersion
  readonly helmMirror: string
}

/** Preview teardown: `helm uninstall` instead of a deploy, and the namespace afterwards. */
export interface TeardownInputs {
  readonly shouldUninstall: boolean
  readonly shouldDeleteNamespace: boolean
}

/** What the action reports to GitHub itself, through its REST API. */
export interface GitHubInputs {
  /** github-token, masked as soon as the inputs are read; undefined when empty. */
  readonly token: string | undefined
  /** comment-on-pr: the job summary as one comment on the pull request, updated by later runs. */
  readonly shouldCommentOnPr: boolean
  /** github-deployment: a GitHub deployment of the environment, with its status. */
  readonly shouldCreateDeployment: boolean
  readonly environment: string | undefined
  readonly environmentUrl: string | undefined
}

export interface Inputs {
  readonly phases: PhaseSelection
  readonly region: string
  readonly auth: AuthInputs
  readonly ecr: EcrInputs
  readonly kubeconfig: KubeconfigInputs
  readonly deploy: DeployInputs
  readonly teardown: TeardownInputs
  readonly github: GitHubInputs
  readonly context: RunnerContext
  /** Not wrong, but worth a look; printed before the phases run. */
  readonly warnings: readonly string[]
}
