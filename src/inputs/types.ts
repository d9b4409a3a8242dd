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

/**
 * ECR's finding severities, most severe first (basic scanning's; enhanced scanning's UNTRIAGED ranks
 * as UNDEFINED). https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageScanFinding.html
 */
export const SCAN_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'] as const
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number]

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
  /** fail-on-severity: ECR scan findings at or above it refuse the deploy; undefined: not checked. */
  readonly failOnSeverity: ScanSeverity | undefined
}

export type KubeconfigAuth = 'exec' | 'token'

type DryRunDiff = 'redacted' | 'keys-only'
/** field-conflicts: what Helm 4's server-side apply does with fields another manager owns. */
export type FieldConflicts = 'auto' | 'take-over' | 'fail'
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
/**
 * chart-keyring: the public keys a chart's provenance (.prov) must be signed with, for helm --verify: the
 * path of a keyring file in the workspace (binary, or armored text), or an armored key block given inline.
 */
export type ChartKeyringInput =
  { readonly kind: 'file'; readonly path: string } | { readonly kind: 'armored'; readonly text: string }
export type HelmVersion = { readonly kind: 'system' } | { readonly kind: 'release'; readonly version: string }
export interface KeyValue {
  readonly key: string
  readonly value: string
}

type WaitMode = 'auto' | 'watcher' | 'legacy' | 'hookOnly'
type LockMode = 'true' | 'false' | 'required'

export interface DeployInputs {
  readonly release: string | undefined
  readonly chart: ChartRef | undefined
  /** `manifests`: directories, files or globs of plain Kubernetes YAML (never given with `chart`). */
  readonly manifests: readonly string[]
  readonly chartVersion: string | undefined
  /** chart-keyring: helm verifies the chart's .prov with these keys before anything is deployed. */
  readonly chartKeyring: ChartKeyringInput | undefined
  readonly namespace: string
  readonly shouldCreateNamespace: boolean
  readonly valuesFiles: readonly string[]
  readonly set: readonly KeyValue[]
  readonly setString: readonly KeyValue[]
  readonly imageRepositoryKey: string
  readonly imageTagKey: string
  readonly isAtomic: boolean
  readonly shouldWait: boolean
  /**
   * wait-mode: Helm 4's --wait strategy (Helm 3: `hookOnly` drops --wait, the others are its --wait);
   * `auto`: `legacy` on Helm 4 when the release renders an Argo Rollout or a Flagger Canary, else `watcher`.
   * `hookOnly` only with atomic: false (helm's automatic rollback waits for readiness itself).
   */
  readonly waitMode: WaitMode
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
  /**
   * field-conflicts (Helm 4): `fail` refuses before helm writes a revision, `take-over` passes
   * --force-conflicts, `auto` takes over everything but replicas an autoscaler sets.
   */
  readonly fieldConflicts: FieldConflicts
  /** fail-fast: stop helm (SIGTERM: it rolls back) as soon as the rollout cannot succeed. */
  readonly isFailFast: boolean
  /** on-paused-rollout: a paused Argo Rollout or Flagger Canary waits, fails (fail-fast) or is reported. */
  readonly onPausedRollout: 'wait' | 'fail' | 'report'
  /** keep-failed-install: a first install that fails is not rolled back (uninstalled), for debugging. */
  readonly shouldKeepFailedInstall: boolean
  /** preflight: SelfSubjectAccessReviews of what the release needs, before helm runs. */
  readonly isPreflight: boolean
  /** log-lines: lines of each failing container's log in the diagnosis (0: none). */
  readonly logLines: number
  /** recover-pending: roll back a release left pending by a killed deploy (older than timeout). */
  readonly shouldRecoverPending: boolean
  /** skip-unchanged: no upgrade (no new revision) when a dry run finds nothing would change. */
  readonly shouldSkipUnchanged: boolean
  /** fail-on-changes: a dry run that finds anything to change fails the step (a "no drift allowed" check). */
  readonly shouldFailOnChanges: boolean
  /** lock: `true` takes the release lock when the identity may, `required` refuses without it, `false` never. */
  readonly lock: LockMode
  /** lock-timeout in whole seconds: how long to wait for a lock another deploy holds. */
  readonly lockTimeoutSeconds: number
  readonly helmVersion: HelmVersion
  readonly helmMirror: string
}

/** One HTTP check of verify-urls: the URL, the status it must answer and a pattern its body must match. */
export interface UrlCheck {
  readonly url: string
  /** The URL as the log shows it: user info and query values hidden (they often carry a token). */
  readonly shownUrl: string
  /** Undefined: any 2xx. */
  readonly expectedStatus: number | undefined
  /** A regular expression (JavaScript syntax) the body must match. */
  readonly bodyPattern: string | undefined
}

/** A CloudWatch alarm of verify-alarms: by its name, or every alarm whose name starts with a prefix. */
export type AlarmSelector =
  { readonly kind: 'name'; readonly name: string } | { readonly kind: 'prefix'; readonly prefix: string }

/** verify-rollback: roll a release that fails verification back (a first install is kept), keep it, or also uninstall a first install. */
export type VerifyRollback = 'true' | 'false' | 'uninstall'

/** The verification after a rollout (issue 24): off unless a check is asked for. */
export interface VerifyInputs {
  /** helm-test: `helm test` of the release. */
  readonly isHelmTest: boolean
  readonly urls: readonly UrlCheck[]
  readonly alarms: readonly AlarmSelector[]
  /** bake-minutes in seconds: how long the alarms are watched (0: looked at once). */
  readonly bakeSeconds: number
  /** verify-timeout as given, and in whole seconds: the one budget of all the checks. */
  readonly timeout: string
  readonly timeoutSeconds: number
  readonly rollback: VerifyRollback
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
  /** check-run: a dry run's result as a check run on the commit, one per release and namespace. */
  readonly shouldCreateCheckRun: boolean
  readonly environment: string | undefined
  readonly environmentUrl: string | undefined
}

export type ImageVerifyMethod = 'attestation' | 'cosign'

/** cosign-public-key: a PEM public key as given, or the path of a file holding one. */
export type CosignKeyInput =
  { readonly kind: 'pem'; readonly pem: string } | { readonly kind: 'file'; readonly path: string }

/** What a cosign signature must show (verify-image: cosign): a key's signature, or a keyless signer. */
export type CosignInputs =
  | { readonly kind: 'key'; readonly key: CosignKeyInput }
  | { readonly kind: 'keyless'; readonly identity: string; readonly issuer: string }

/** What the image must prove before it is deployed (verify-image and its policy). */
export interface ImageVerifyInputs {
  /** Empty: no verification (the default). */
  readonly methods: readonly ImageVerifyMethod[]
  /** verify-chart: the oci:// chart's digest verified with the same policy; empty: not (the default). */
  readonly chartMethods: readonly ImageVerifyMethod[]
  /** verify-repository: owner/name of the repository that built the image (action.yml: this one). */
  readonly repository: string | undefined
  /** owner/repo/.github/workflows/build.yml[@ref]: the workflow that signed. */
  readonly signerWorkflow: string | undefined
  /** refs/heads/main: the ref the image was built from. */
  readonly sourceRef: string | undefined
  /** A Sigstore trusted_root.json (or `gh attestation trusted-root`'s lines), as given. */
  readonly trustedRoot: string | undefined
  /** With verify-image: cosign; undefined otherwise. */
  readonly cosign: CosignInputs | undefined
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
  /** The verification after the rollout (helm-test, verify-urls, verify-alarms). */
  readonly verify: VerifyInputs
  /** What the image must prove before it is deployed (verify-image). */
  readonly imageVerify: ImageVerifyInputs
  readonly context: RunnerContext
  /** Not wrong, but worth a look; printed before the phases run. */
  readonly warnings: readonly string[]
}
