import { ActionError } from './errors.js'
import { InputProblems, type ReadInput } from './input-readers.js'
import type { RunnerContext } from './runner-context.js'
import { deriveSessionName, SESSION_NAME_PATTERN } from './session-name.js'

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

export const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
const ACCOUNT_PATTERN = /^\d{12}$/
const ECR_HOST_PATTERN =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?$/
const ECR_REPOSITORY_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const TAG_PART_PATTERN = /^[A-Za-z0-9_.-]*$/
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/
const RELEASE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/
const HELM_VERSION_PATTERN = /^v[34]\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/
const GO_DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
}

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

function readAuth(p: InputProblems, context: RunnerContext): AuthInputs {
  const roleArnHelp = 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy.'
  const sessionName = p.optional('role-session-name') ?? deriveSessionName(context)
  if (sessionName.length < 2 || sessionName.length > 64 || !SESSION_NAME_PATTERN.test(sessionName)) {
    p.add(
      'role-session-name',
      sessionName,
      'must be 2-64 characters from letters, digits and +=,.@_- (an STS rule).',
    )
  }
  return {
    roleToAssume: p.matching('role-to-assume', ROLE_ARN_PATTERN, roleArnHelp),
    audience: p.optional('audience') ?? 'sts.amazonaws.com',
    roleSessionName: sessionName,
    roleDurationSeconds: p.int('role-duration-seconds', 3600, { min: 900, max: 43200 }),
    inlineSessionPolicy: readJsonPolicy(p),
    managedSessionPolicies: readManagedPolicies(p),
    shouldExportCredentials: p.bool('export-credentials', true),
    shouldMaskAccountId: p.bool('mask-aws-account-id', false),
    allowedAccountIds: readAccountIds(p, 'allowed-account-ids'),
  }
}

function readJsonPolicy(p: InputProblems): string | undefined {
  const policy = p.optional('inline-session-policy')
  if (policy === undefined) return undefined
  try {
    JSON.parse(policy)
  } catch {
    p.add('inline-session-policy', policy.slice(0, 80), 'must be a JSON IAM policy document.')
  }
  return policy
}

function readManagedPolicies(p: InputProblems): string[] {
  const arns = p.list('managed-session-policies')
  for (const arn of arns) {
    if (!/^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/.+$/.test(arn)) {
      p.add(
        'managed-session-policies',
        arn,
        'each item must be a managed policy ARN (arn:aws:iam::aws:policy/...).',
      )
    }
  }
  return arns
}

function readAccountIds(p: InputProblems, name: string): string[] {
  const ids = p.list(name)
  for (const id of ids) {
    if (!ACCOUNT_PATTERN.test(id)) p.add(name, id, 'each item must be a 12-digit AWS account id.')
  }
  return ids
}

function readEcr(p: InputProblems): EcrInputs {
  const tagLength =
    p.text('tag-length').toLowerCase() === 'full' ? 40 : p.int('tag-length', 7, { min: 4, max: 40 })
  const requireImage = p.choice('require-image', ['auto', 'true', 'false'] as const, 'auto')
  return {
    repository: p.matching(
      'ecr-repository',
      ECR_REPOSITORY_PATTERN,
      'must be an ECR repository name such as shop/api (lower case, no registry host, no tag).',
    ),
    registries: readRegistries(p),
    imageTag: p.matching('image-tag', /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, dockerTagRule),
    shaSource: p.choice('sha-source', ['auto', 'head', 'merge', 'workflow-run'] as const, 'auto'),
    tagLength,
    tagPrefix: p.matching('tag-prefix', TAG_PART_PATTERN, 'may only hold letters, digits, _, . and -.') ?? '',
    tagSuffix: p.matching('tag-suffix', TAG_PART_PATTERN, 'may only hold letters, digits, _, . and -.') ?? '',
    imageDigest: p.matching(
      'image-digest',
      DIGEST_PATTERN,
      'must be an image digest: sha256: and 64 hex digits.',
    ),
    requireImage: requireImage === 'auto' ? 'auto' : requireImage === 'true',
    imageWaitSeconds: p.int('image-wait-seconds', 0, { min: 0, max: 3600 }),
    shouldSkipLogout: p.bool('skip-logout', false),
  }
}

export const dockerTagRule =
  'is not a valid Docker tag: 1-128 characters from letters, digits, _, . and -, not starting with . or -.'

function readRegistries(p: InputProblems): RegistryRef[] {
  const refs: RegistryRef[] = []
  for (const item of p.list('registries')) {
    const host = ECR_HOST_PATTERN.exec(item.toLowerCase())
    if (ACCOUNT_PATTERN.test(item)) refs.push({ kind: 'account', accountId: item })
    else if (host?.[1] !== undefined && host[2] !== undefined)
      refs.push({ kind: 'host', host: item.toLowerCase(), accountId: host[1], region: host[2] })
    else
      p.add(
        'registries',
        item,
        'each item must be a 12-digit account id or an ECR host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com.',
      )
  }
  return refs
}

function readKubeconfig(p: InputProblems): KubeconfigInputs {
  return {
    clusterName: p.matching(
      'cluster-name',
      /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
      'must be an EKS cluster name: 1-100 letters, digits, - and _, starting with a letter or digit.',
    ),
    clusterRoleArn: p.matching('cluster-role-arn', ROLE_ARN_PATTERN, 'must be an IAM role ARN.'),
    auth: p.choice('kubeconfig-auth', ['exec', 'token'] as const, 'exec'),
    shouldExportKubeconfig: p.bool('export-kubeconfig', true),
  }
}

function readDeploy(p: InputProblems): DeployInputs {
  const timeout = p.optional('timeout') ?? '5m'
  const timeoutSeconds = parseGoDuration(timeout)
  if (timeoutSeconds === undefined || timeoutSeconds <= 0) {
    p.add('timeout', timeout, 'must be a Go duration such as 5m, 90s or 1h30m.')
  }
  return {
    release: readRelease(p),
    chart: readChart(p),
    chartVersion: p.optional('chart-version'),
    namespace:
      p.matching('namespace', NAMESPACE_PATTERN, 'must be a Kubernetes namespace name (DNS-1123 label).') ??
      'default',
    shouldCreateNamespace: p.bool('create-namespace', true),
    valuesFiles: p.list('values-files', { commas: false }),
    set: readKeyValues(p, 'set'),
    setString: readKeyValues(p, 'set-string'),
    imageRepositoryKey:
      p.matching('image-repository-key', VALUE_KEY_PATTERN, valueKeyRule) ?? 'image.repository',
    imageTagKey: p.matching('image-tag-key', VALUE_KEY_PATTERN, valueKeyRule) ?? 'image.tag',
    isAtomic: p.bool('atomic', true),
    shouldWait: p.bool('wait', true),
    timeout,
    timeoutSeconds: timeoutSeconds ?? 300,
    historyMax: p.int('history-max', 10, { min: 0, max: 1000 }),
    helmArgs: p.list('helm-args', { commas: false }),
    isDryRun: p.bool('dry-run', false),
    helmVersion: readHelmVersion(p),
    helmMirror: readHelmMirror(p),
  }
}

function readRelease(p: InputProblems): string | undefined {
  const release = p.optional('release')
  if (release !== undefined && (release.length > 53 || !RELEASE_PATTERN.test(release))) {
    p.add(
      'release',
      release,
      'must be a Helm release name: at most 53 lower-case letters, digits, - and . (DNS-1123).',
    )
    return undefined
  }
  return release
}

function readChart(p: InputProblems): ChartRef | undefined {
  const chart = p.optional('chart')
  const repository = p.optional('chart-repository')
  if (chart === undefined) {
    if (repository !== undefined) p.add('chart', '', "is required when 'chart-repository' is set.")
    return undefined
  }
  if (chart.startsWith('oci://')) return { kind: 'oci', ref: chart }
  if (repository !== undefined) {
    if (!/^https?:\/\//.test(repository))
      p.add(
        'chart-repository',
        repository,
        'must be an http(s):// URL (for an OCI chart, give chart: oci://...).',
      )
    return { kind: 'repo', name: chart.replace(/^[^/]+\//, ''), repository }
  }
  return { kind: 'path', path: chart }
}

function readKeyValues(p: InputProblems, name: string): KeyValue[] {
  const pairs: KeyValue[] = []
  for (const line of p.list(name, { commas: false })) {
    const at = line.indexOf('=')
    if (at <= 0) p.add(name, line, 'each line must be key=value (the value may hold commas and =).')
    else if (!VALUE_KEY_PATTERN.test(line.slice(0, at).trim())) p.add(name, line, valueKeyRule)
    else pairs.push({ key: line.slice(0, at).trim(), value: line.slice(at + 1) })
  }
  return pairs
}

function readHelmVersion(p: InputProblems): HelmVersion {
  const raw = p.optional('helm-version') ?? DEFAULT_HELM_VERSION
  if (raw.toLowerCase() === 'system') return { kind: 'system' }
  const version = raw.startsWith('v') ? raw : `v${raw}`
  if (!HELM_VERSION_PATTERN.test(version)) {
    p.add('helm-version', raw, "must be a Helm release such as v4.1.4 or v3.17.3, or 'system'.")
  }
  return { kind: 'release', version }
}

export const DEFAULT_HELM_VERSION = 'v4.1.4'

// Helm splits --set on commas and '=' before its own escaping applies to keys.
const VALUE_KEY_PATTERN = /^[^\s=,]+$/
const valueKeyRule = 'must be a Helm value path such as image.tag (no spaces, = or commas).'

function readHelmMirror(p: InputProblems): string {
  const mirror = p.optional('helm-mirror') ?? 'https://get.helm.sh'
  if (!/^https?:\/\/[^\s/]+/.test(mirror)) {
    p.add('helm-mirror', mirror, 'must be an http(s):// URL such as https://get.helm.sh.')
  }
  return mirror.replace(/\/+$/, '')
}

/** Seconds in a Go duration (`1h30m`, `90s`), or undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined
  let seconds = 0
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    seconds += Number(match[1]) * (GO_DURATION_UNITS[match[2] ?? 's'] ?? 1)
  }
  return seconds
}
