import { AWS_PARTITIONS, type AwsPartition } from './aws-partitions.js'
import type { InputProblems } from './problems.js'
import type { Inputs } from './types.js'

/**
 * What the SDK's partition data says of a region name: a region it lists; a name of a partition's
 * shape it does not list yet (a region newer than this action's SDK, or a typo: the caller warns,
 * it does not fail); or no region at all.
 */
export type RegionClass =
  | { readonly kind: 'known'; readonly partition: string }
  | { readonly kind: 'unknown'; readonly partition: string; readonly suggestion: string | undefined }
  | { readonly kind: 'malformed' }

export function classifyRegion(region: string): RegionClass {
  const listing = AWS_PARTITIONS.find((partition) => partition.regions.includes(region))
  if (listing !== undefined) return { kind: 'known', partition: listing.id }
  // Like the SDK's partition(): the first partition whose pattern matches.
  const shaped = AWS_PARTITIONS.find((partition) => new RegExp(partition.regionRegex).test(region))
  if (shaped === undefined) return { kind: 'malformed' }
  return { kind: 'unknown', partition: shaped.id, suggestion: closestRegion(region, shaped) }
}

/** The partition of an ARN (`arn:aws-cn:...` → aws-cn). */
export function partitionOfArn(arn: string): string {
  return arn.split(':')[1] ?? ''
}

/** A listed region one or two edits away (us-eest-1 → us-east-1), the likely meaning of a typo. */
function closestRegion(region: string, partition: AwsPartition): string | undefined {
  let best: { region: string; distance: number } | undefined
  for (const candidate of partition.regions) {
    const distance = editDistance(region, candidate)
    if (distance <= 2 && (best === undefined || distance < best.distance))
      best = { region: candidate, distance }
  }
  return best?.region
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** aws-region, else the job's AWS_REGION / AWS_DEFAULT_REGION: a region the SDK lists, or a warning. */
export function readRegion(p: InputProblems, ambientRegion: string | undefined): string {
  const input = p.optional('aws-region')
  const region = input ?? ambientRegion
  if (region === undefined) {
    p.problems.push(
      "Input 'aws-region' is required (and neither AWS_REGION nor AWS_DEFAULT_REGION is set). Add `aws-region: us-east-1` (your region) under `with:`.",
    )
    return ''
  }
  const found = classifyRegion(region)
  if (found.kind === 'malformed') {
    const what =
      input === undefined
        ? 'is empty, and the region taken from AWS_REGION or AWS_DEFAULT_REGION is not an AWS region code such as us-east-1: fix that variable, or set aws-region.'
        : 'is not an AWS region code such as us-east-1 or eu-central-1.'
    p.add('aws-region', region, what)
  } else if (found.kind === 'unknown') {
    const origin =
      input === undefined ? 'is empty, and the region taken from AWS_REGION or AWS_DEFAULT_REGION' : 'is'
    const guess = found.suggestion === undefined ? '' : ` Did you mean ${found.suggestion}?`
    p.warn(
      'aws-region',
      region,
      `${origin} not a region this action's AWS SDK knows (partition ${found.partition}).${guess} It is used as given: a region newer than the SDK works; a mistyped one fails when its endpoint does not resolve.`,
    )
  }
  return region
}

/**
 * The IAM ARNs must be of the region's partition (arn:aws-cn: goes with cn-north-1): credentials of
 * one partition are worthless in another, and STS would only say so after a network round trip.
 */
export function checkPartitions(p: InputProblems, inputs: Inputs): void {
  const found = classifyRegion(inputs.region)
  if (found.kind === 'malformed') return
  const arns: [string, string | undefined][] = [
    ['role-to-assume', inputs.auth.roleToAssume],
    ['cluster-role-arn', inputs.kubeconfig.clusterRoleArn],
    ...inputs.auth.managedSessionPolicies.map((arn): [string, string] => ['managed-session-policies', arn]),
  ]
  for (const [name, arn] of arns) {
    if (arn === undefined || partitionOfArn(arn) === found.partition) continue
    p.add(
      name,
      arn,
      `is an ARN of partition ${partitionOfArn(arn)}, but aws-region ${inputs.region} is in partition ${found.partition}: use arn:${found.partition}:..., or the region of that partition.`,
    )
  }
}
