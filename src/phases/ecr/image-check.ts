import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr'
import type { RegistryLocation } from './registry.js'
import { ANSWER_HINT, ANSWER_SHAPES, checkAnswer } from '../../lib/answer-shapes.js'
import { ActionError } from '../../lib/errors.js'
import type { Runtime } from '../../runner/runtime.js'
import { explainEcrError } from './errors.js'
import type { EcrClientFor } from './login.js'

export interface ImageCheckParams {
  readonly repository: string
  readonly tag: string
  /** `image-digest`: when given, this is the image that must exist. */
  readonly digest: string | undefined
  readonly location: RegistryLocation
  /** Keep looking this long for an image a parallel build is still pushing. */
  readonly waitSeconds: number
}

export interface ImageCheckDeps {
  readonly runtime: Runtime
  readonly ecr: EcrClientFor
  readonly pollIntervalMs?: number
}

export interface ImageCheckResult {
  readonly registryId: string | undefined
  readonly digest: string
  readonly pushedAt: Date | undefined
}

type Ecr = Pick<ECRClient, 'send'>

const POLL_INTERVAL_MS = 5_000
const RECENT_TAGS = 10
const MAX_LISTED_PAGES = 5

/** The image check: DescribeImages for the tag (or digest), polling up to waitSeconds; resolves the digest. */
export async function checkImage(params: ImageCheckParams, deps: ImageCheckDeps): Promise<ImageCheckResult> {
  const { runtime } = deps
  const ecr = await deps.ecr(params.location.region)
  const started = runtime.now()
  for (;;) {
    const found = await describeImage(ecr, params)
    if (found?.imageDigest !== undefined) {
      const source = "imageDetails[0] in ECR DescribeImages' answer"
      const digest = checkAnswer(found.imageDigest, ANSWER_SHAPES.imageDigest, `${source}: imageDigest`)
      if (found.registryId !== undefined)
        checkAnswer(found.registryId, ANSWER_SHAPES.accountId, `${source}: registryId`)
      return reportFound(found, digest, params, runtime)
    }
    const waitedMs = runtime.now() - started
    const remainingMs = params.waitSeconds * 1000 - waitedMs
    if (remainingMs <= 0) {
      // With image-wait-seconds: 0 it did not wait: the time of the one request is no waiting.
      const waited = params.waitSeconds === 0 ? undefined : Math.round(waitedMs / 1000)
      throw await explainMissingImage(ecr, params, waited)
    }
    runtime.info(
      `${imageName(params)} is not in ECR yet; looking again (waited ${Math.round(waitedMs / 1000)} of ${params.waitSeconds} s).`,
    )
    await runtime.sleep(Math.min(deps.pollIntervalMs ?? POLL_INTERVAL_MS, remainingMs))
  }
}

/** Phase deploy without login or check: the repository URI is `<registry>/<repository>`. */
export async function locateRepository(
  params: Pick<ImageCheckParams, 'repository' | 'location'>,
  deps: Pick<ImageCheckDeps, 'ecr'>,
): Promise<string> {
  try {
    const ecr = await deps.ecr(params.location.region)
    const response = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [params.repository], ...registryOf(params) }),
    )
    const uri = response.repositories?.[0]?.repositoryUri
    if (uri === undefined)
      throw new ActionError(`ECR DescribeRepositories answered without a repository URI.`, {
        hint: ANSWER_HINT,
      })
    const host = uri.split('/')[0] ?? ''
    checkAnswer(
      host,
      ANSWER_SHAPES.ecrHost,
      "The registry of repositoryUri in ECR DescribeRepositories' answer",
    )
    return uri
  } catch (error) {
    throw explainEcrError(error, 'DescribeRepositories', describeWhere(params))
  }
}

async function describeImage(ecr: Ecr, params: ImageCheckParams): Promise<ImageDetail | undefined> {
  const imageId = params.digest === undefined ? { imageTag: params.tag } : { imageDigest: params.digest }
  try {
    const response = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: params.repository,
        imageIds: [imageId],
        ...registryOf(params),
      }),
    )
    return response.imageDetails?.[0]
  } catch (error) {
    if (error instanceof Error && error.name === 'ImageNotFoundException') return undefined
    throw explainEcrError(error, 'DescribeImages', describeWhere(params))
  }
}

function reportFound(found: ImageDetail, digest: string, params: ImageCheckParams, runtime: Runtime) {
  const pushed = found.imagePushedAt === undefined ? '' : `, pushed ${found.imagePushedAt.toISOString()}`
  runtime.info(`Found ${imageName(params)} in ECR: ${digest}${pushed}.`)
  if (params.digest !== undefined && !(found.imageTags ?? []).includes(params.tag)) {
    runtime.warning(
      `The image ${params.digest} does not carry the tag '${params.tag}' (its tags: ${(found.imageTags ?? []).join(', ') || 'none'}); the deploy uses the digest.`,
    )
  }
  return { registryId: found.registryId, digest, pushedAt: found.imagePushedAt }
}

async function explainMissingImage(ecr: Ecr, params: ImageCheckParams, waitedSeconds: number | undefined) {
  const recent = await listRecentTags(ecr, params)
  const listing =
    recent === undefined
      ? 'Its recent tags could not be listed.'
      : recent.length === 0
        ? 'The repository has no tagged images.'
        : `Its most recent tags: ${recent.join(', ')}.`
  return new ActionError(
    `The image ${imageName(params)} is not in ECR (${describeWhere(params)})${waitedSeconds === undefined ? '' : ` after waiting ${waitedSeconds} s`}. ${listing}`,
    {
      hint: [
        'Build and push it before deploying (docker/build-push-action with `tags:` set to the `image` output of phase ecr-login),',
        "or let this step wait for a build running in parallel with 'image-wait-seconds',",
        "or check 'image-tag' / 'sha-source' / 'tag-length' name the tag the build pushed ('require-image: false' skips this check).",
      ].join('\n'),
    },
  )
}

async function listRecentTags(ecr: Ecr, params: ImageCheckParams): Promise<string[] | undefined> {
  const details: ImageDetail[] = []
  let nextToken: string | undefined
  try {
    for (let page = 0; page < MAX_LISTED_PAGES; page++) {
      const response = await ecr.send(
        new DescribeImagesCommand({
          repositoryName: params.repository,
          filter: { tagStatus: 'TAGGED' },
          maxResults: 1000,
          ...registryOf(params),
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      )
      details.push(...(response.imageDetails ?? []))
      nextToken = response.nextToken
      if (nextToken === undefined) break
    }
  } catch {
    return undefined
  }
  return recentTags(details, RECENT_TAGS)
}

/** The tags of the most recently pushed images first. Pure. */
export function recentTags(details: readonly ImageDetail[], limit: number): string[] {
  return [...details]
    .sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0))
    .flatMap((detail) => detail.imageTags ?? [])
    .slice(0, limit)
}

const registryOf = (params: Pick<ImageCheckParams, 'location'>) =>
  params.location.accountId === undefined ? {} : { registryId: params.location.accountId }

const imageName = (params: ImageCheckParams): string =>
  `${params.repository}${params.digest === undefined ? `:${params.tag}` : `@${params.digest}`}`

function describeWhere(params: Pick<ImageCheckParams, 'repository' | 'location'>): string {
  const { location } = params
  const registry = location.host ?? location.accountId ?? "the caller's account"
  return `repository ${params.repository}, registry ${registry}, region ${location.region}`
}
