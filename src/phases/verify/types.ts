import type { CosignInputs, ImageVerifyMethod } from '../../inputs/types.js'
import type { Env } from '../../lib/env.js'

/** verify-image: cosign as the plan validated it (a key file's path resolved in the workspace). */
export type CosignParams = CosignInputs

/** The cosign signature that let the deploy go on. */
export interface CosignVerified {
  readonly method: 'cosign'
  /** `key SHA256:...` or the keyless certificate's identity. */
  readonly signer: string
  /** Where it was found: the .sig tag's layer, or a referrer. */
  readonly where: string
}

/** Where the trust material comes from: a file (trusted-root), or public good through TUF. */
export type TrustSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'public-good'; readonly cachePath: string }

/** verify-chart: the oci:// chart, read as the deploy's helm reads it, and how it is verified. */
export interface ChartVerifyParams {
  /** chart as given (oci://...), and chart-version (one version: the plan refuses a range). */
  readonly ref: string
  readonly version: string | undefined
  readonly methods: readonly ImageVerifyMethod[]
  /** helm-args (--plain-http) and the job's environment (its DOCKER_CONFIG): where the login is. */
  readonly helmArgs: readonly string[]
  readonly jobEnv: Env
}

/** What the plan validated for the verification of the image (verify-image) and the chart (verify-chart). */
export interface VerifyParams {
  /** verify-image's methods; empty when only the chart is verified. */
  readonly methods: readonly ImageVerifyMethod[]
  /** verify-chart; undefined when the chart is not verified. */
  readonly chart: ChartVerifyParams | undefined
  readonly trust: TrustSource
  readonly policy: AttestationPolicy
  /** The GitHub API that holds the attestations, and its token (masked with the inputs). */
  readonly github: { readonly apiUrl: string; readonly token: string }
  /** The image's ECR repository (shop/api), for the log and the hint ('' when only the chart is verified). */
  readonly repositoryName: string
  /** verify-image: cosign's key or keyless signer; undefined without cosign. */
  readonly cosign: CosignParams | undefined
}

/** What an attestation must show, besides a valid signature (gh attestation verify's policy). */
export interface AttestationPolicy {
  /** owner/name: its attestations are read, its workflow must have built the image. */
  readonly repository: string
  /** GITHUB_SERVER_URL: https://github.com, or the GHES host (the certificate's URIs start with it). */
  readonly serverUrl: string
  /** owner/repo/.github/workflows/build.yml[@ref]; undefined: any workflow of `repository`. */
  readonly signerWorkflow: string | undefined
  /** refs/heads/main; undefined: any ref. */
  readonly sourceRef: string | undefined
}

/** The build an accepted attestation proves. */
export interface VerifiedBuild {
  /** The rule the attestation passed, for output image-verified. */
  readonly method: 'attestation'
  readonly digest: string
  readonly signerWorkflow: string
  readonly repository: string
  readonly commit: string | undefined
  readonly ref: string | undefined
  /** The build run's page. */
  readonly run: string | undefined
}

/** verify-chart: the chart's digest, and what it proved; the deploy deploys exactly `ref`. */
export interface ChartVerified {
  /** oci://<host>/<repository>@<digest>. */
  readonly ref: string
  readonly digest: string
  readonly build: VerifiedBuild | undefined
  readonly signature: CosignVerified | undefined
}

export interface VerifyResult {
  /** With verify-image: attestation. */
  readonly build: VerifiedBuild | undefined
  /** With verify-image: cosign. */
  readonly signature: CosignVerified | undefined
  /** With verify-chart. */
  readonly chart?: ChartVerified | undefined
}
