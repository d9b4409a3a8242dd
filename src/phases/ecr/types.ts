import type { ScanSeverity } from '../../inputs/types.js'
import type { ImageRef } from '../../lib/image-ref.js'
import type { ImageTag } from './image-tag.js'
import type { EcrLoginParams } from './login.js'
import type { RegistryLocation } from './registry.js'
import type { ScanVerdict } from './scan-severity.js'

/** Phase ecr-login and the image check, as the plan validated them. */
export interface EcrParams {
  readonly region: string
  /** Where the image's repository lives (the first of `registries`, else the caller's registry). */
  readonly location: RegistryLocation
  /** The login; undefined when phase ecr-login does not run (the image is then only checked or located). */
  readonly login: EcrLoginPlan | undefined
  /** The image of `ecr-repository`; undefined without one. */
  readonly image: ImagePlan | undefined
}

/** The login's parameters (its region is the phase's) and what the post step does with its files. */
export interface EcrLoginPlan extends Omit<EcrLoginParams, 'region'> {
  /** skip-logout: the post step leaves the Docker config directory in place. */
  readonly shouldSkipLogout: boolean
}

export interface ImagePlan {
  /** The ECR repository name (`shop/api`). */
  readonly repository: string
  readonly tag: ImageTag
  /** `image-digest`, when given: the image that must exist and be deployed. */
  readonly digest: string | undefined
  /** Check with ECR that the image exists, and resolve its digest. */
  readonly shouldCheck: boolean
  readonly waitSeconds: number
  /** fail-on-severity: the digest's ECR scan findings at or above it refuse the deploy. */
  readonly failOnSeverity: ScanSeverity | undefined
}

export interface EcrResult {
  /** The image's registry (the first of `registries`, else the caller's); output `registry`. */
  readonly registry: string | undefined
  /** Every registry host logged in to. */
  readonly loggedIn: readonly string[]
  /** The image to deploy, when `ecr-repository` is set. */
  readonly image: ImageRef | undefined
  /** Undefined when phase ecr-login did not run. */
  readonly dockerConfigDir: string | undefined
  /** fail-on-severity: what ECR's scan of the digest found (none at or above the threshold). */
  readonly scan: ScanVerdict | undefined
}
