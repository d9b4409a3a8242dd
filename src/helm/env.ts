import type { Env } from '../lib/env.js'

export interface HelmEnvParams {
  /** The job's environment (RunnerContext.env). */
  readonly jobEnv: Env
  /** The kubeconfig phase's file; without it helm uses the job's KUBECONFIG. */
  readonly kubeconfigPath?: string | undefined
  /** The ecr-login phase's Docker config dir: helm reads registry logins for OCI charts there. */
  readonly dockerConfigDir?: string | undefined
  /** AWS credentials and region for the kubeconfig's exec plugin, which inherits helm's environment. */
  readonly extraEnv: Readonly<Record<string, string>>
  /** helm's registry and repository files in the step's own directory (isolation.ts). */
  readonly helmFiles?: Readonly<Record<string, string>> | undefined
}

// Runner secrets helm has no use for; INPUT_* may hold values the user marked secret.
const DROPPED = /^(INPUT_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$)/

/** The complete environment of the helm child process (it replaces, not extends, process.env). */
export function buildHelmEnv(params: HelmEnvParams): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(params.jobEnv)) {
    if (value !== undefined && !DROPPED.test(name)) env[name] = value
  }
  Object.assign(env, params.extraEnv, params.helmFiles)
  if (params.kubeconfigPath !== undefined) env.KUBECONFIG = params.kubeconfigPath
  if (params.dockerConfigDir !== undefined) env.DOCKER_CONFIG = params.dockerConfigDir
  return env
}
