import type { KubeconfigAuth } from '../../inputs/types.js'

/** Phase kubeconfig's parameters, as the plan validated them. */
export interface KubeconfigParams {
  readonly clusterName: string
  readonly region: string
  readonly auth: KubeconfigAuth
  readonly clusterRoleArn: string | undefined
  readonly roleSessionName: string
  /** The STS endpoint the tokens name (resolveStsEndpoint of the job's environment). */
  readonly stsEndpoint: string
  readonly runnerTemp: string
  /** export-credentials: whether later steps get phase auth's credentials to sign with. */
  readonly shouldExportCredentials: boolean
}

export interface KubeconfigResult {
  readonly path: string
  readonly clusterName: string
  readonly endpoint: string
  readonly arn: string
  readonly version: string
  readonly auth: KubeconfigAuth
  /** Files and directories to remove in the post step. */
  readonly createdPaths: readonly string[]
}
