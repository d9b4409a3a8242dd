import { ActionError } from './errors.js'
import { InputProblems, type ReadInput } from './input-readers.js'
import type { RunnerContext } from './runner-context.js'
import { readAuth } from './input-auth.js'
import { readEcr } from './input-ecr.js'
import { readDeploy, readKubeconfig } from './input-release.js'

export const PHASE_NAMES = ['auth', 'ecr-login', 'kubeconfig', 'deploy'] as const
export type PhaseName = (typeof PHASE_NAMES)[number]
export type PhaseSelection =
  { readonly kind: 'auto' } | { readonly kind: 'list'; readonly phases: readonly PhaseName[] }

export interface AuthInputs {
  readonly roleToAssume: string | undefined
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

export interface DeployInputs {
  readonly release: string | undefined
  readonly chart: ChartRef | undefined
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
  /** Go duration as given (`5m`), and the same in seconds. */
  readonly timeout: string
  readonly timeoutSeconds: number
  readonly historyMax: number
  readonly helmArgs: readonly string[]
  readonly isDryRun: boolean
  readonly helmVersion: HelmVersion
  readonly helmMirror: string
}

export interface Inputs {
  readonly phases: PhaseSelection
  readonly region: string
  readonly auth: AuthInputs
  readonly ecr: EcrInputs
  readonly kubeconfig: KubeconfigInputs
  readonly deploy: DeployInputs
  readonly context: RunnerContext
}

export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

/** Parses and validates every input; throws one ActionError listing every problem. Pure. */
export function parseInputs(read: ReadInput, context: RunnerContext): Inputs {
  const p = new InputProblems(read)
  const inputs: Inputs = {
    phases: readPhases(p),
    region: readRegion(p, context),
    auth: readAuth(p, context),
    ecr: readEcr(p),
    kubeconfig: readKubeconfig(p),
    deploy: readDeploy(p),
    context,
  }
  if (p.problems.length > 0) {
    throw new ActionError(`Invalid input${p.problems.length > 1 ? 's' : ''}:\n- ${p.problems.join('\n- ')}`, {
      hint: 'Fix the inputs under `with:` in the workflow step; action.yml documents every input and its format.',
    })
  }
  return inputs
}

function readPhases(p: InputProblems): PhaseSelection {
  const raw = p.text('phases')
  if (raw === '' || raw.toLowerCase() === 'auto') return { kind: 'auto' }
  const phases: PhaseName[] = []
  for (const item of p.list('phases')) {
    const phase = PHASE_NAMES.find((name) => name === item.toLowerCase())
    if (phase === undefined) {
      p.add(
        'phases',
        raw,
        `'${item}' is not a phase. Use 'auto' or a comma list of ${PHASE_NAMES.join(', ')}.`,
      )
    } else if (!phases.includes(phase)) {
      phases.push(phase)
    }
  }
  return { kind: 'list', phases }
}

function readRegion(p: InputProblems, context: RunnerContext): string {
  const input = p.optional('aws-region')
  const region = input ?? context.ambientRegion
  if (region === undefined) {
    p.problems.push(
      "Input 'aws-region' is required (and neither AWS_REGION nor AWS_DEFAULT_REGION is set). Add `aws-region: us-east-1` (your region) under `with:`.",
    )
    return ''
  }
  if (!REGION_PATTERN.test(region)) {
    const what =
      input === undefined
        ? 'is empty, and the region taken from AWS_REGION or AWS_DEFAULT_REGION is not an AWS region code such as us-east-1: fix that variable, or set aws-region.'
        : 'is not an AWS region code such as us-east-1 or eu-central-1.'
    p.add('aws-region', region, what)
  }
  return region
}

export { ROLE_ARN_PATTERN } from './input-auth.js'
export { dockerTagRule } from './input-ecr.js'
export { DEFAULT_HELM_VERSION, parseGoDuration } from './input-release.js'
