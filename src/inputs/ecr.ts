import { DOCKER_TAG_PATTERN } from '../lib/image-ref.js'
import type { InputProblems } from './problems.js'
import type { ChartRef, EcrInputs, RegistryRef, ScanSeverity } from './types.js'
import { ACCOUNT_PATTERN } from './patterns.js'
import { classifyRegion } from './regions.js'

// Readers of phase ecr-login's inputs and of the image tag options.

const ECR_HOST_PATTERN =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?$/
// ECR: 2-256 characters (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html).
const ECR_REPOSITORY_PATTERN =
  /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/
const TAG_PART_PATTERN = /^[A-Za-z0-9_.-]*$/
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/

export function readEcr(p: InputProblems): EcrInputs {
  const tagLength =
    p.text('tag-length').toLowerCase() === 'full' ? 40 : p.int('tag-length', 7, { min: 4, max: 40 })
  const requireImage = p.choice('require-image', ['auto', 'true', 'false'] as const, 'auto')
  return {
    repository: p.matching(
      'ecr-repository',
      ECR_REPOSITORY_PATTERN,
      'must be an ECR repository name such as shop/api (2-256 characters, lower case, no registry host, no tag).',
    ),
    registries: readRegistries(p),
    imageTag: p.matching('image-tag', DOCKER_TAG_PATTERN, dockerTagRule),
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
    failOnSeverity: readSeverity(p),
  }
}

function readSeverity(p: InputProblems): ScanSeverity | undefined {
  const chosen = p.choice(
    'fail-on-severity',
    ['none', 'critical', 'high', 'medium', 'low', 'informational', 'undefined'] as const,
    'none',
  )
  return chosen === 'none' ? undefined : (chosen.toUpperCase() as ScanSeverity)
}

const dockerTagRule =
  'is not a valid Docker tag: 1-128 characters from letters, digits, _, . and -, not starting with . or -.'

/** An ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`) as a registry; undefined for any other host. */
function parseEcrHost(text: string): Extract<RegistryRef, { kind: 'host' }> | undefined {
  const host = ECR_HOST_PATTERN.exec(text.toLowerCase())
  if (host?.[1] === undefined || host[2] === undefined) return undefined
  return { kind: 'host', host: text.toLowerCase(), accountId: host[1], region: host[2] }
}

/** The ECR registry of an `oci://<ECR host>/...` chart, which the deploy must log in to; else undefined. */
export function chartEcrRegistry(
  chart: ChartRef | undefined,
): Extract<RegistryRef, { kind: 'host' }> | undefined {
  if (chart?.kind !== 'oci') return undefined
  return parseEcrHost(chart.ref.slice('oci://'.length).split('/')[0] ?? '')
}

function readRegistries(p: InputProblems): RegistryRef[] {
  const refs: RegistryRef[] = []
  for (const item of p.list('registries')) {
    const host = parseEcrHost(item)
    if (ACCOUNT_PATTERN.test(item)) refs.push({ kind: 'account', accountId: item })
    else if (host !== undefined) {
      if (isRegionOfHost(p, item, host.region)) refs.push(host)
    } else
      p.add(
        'registries',
        item,
        'each item must be a 12-digit account id or an ECR host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com.',
      )
  }
  return refs
}

/** The host's region: one the SDK knows (else a warning), and .amazonaws.com.cn exactly in China. */
function isRegionOfHost(p: InputProblems, item: string, region: string): boolean {
  const found = classifyRegion(region)
  if (found.kind === 'malformed') {
    p.add('registries', item, `names '${region}', which is not an AWS region code.`)
    return false
  }
  if (item.toLowerCase().endsWith('.cn') !== (found.partition === 'aws-cn')) {
    p.add(
      'registries',
      item,
      'must end in .amazonaws.com.cn for a region in China, and in .amazonaws.com elsewhere.',
    )
    return false
  }
  if (found.kind === 'unknown')
    p.warn('registries', item, `names '${region}', a region this action's AWS SDK does not know.`)
  return true
}
