import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import { ActionError } from '../../../../src/lib/errors.js'
import {
  checkImage,
  locateRepository,
  recentTags,
  type ImageCheckParams,
} from '../../../../src/phases/ecr/image-check.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

const ecrMock = mockClient(ECRClient)
const DIGEST = `sha256:${'a'.repeat(64)}`
const PUSHED = new Date('2030-01-01T00:00:00Z')
let runtime: FakeRuntime
const regions: string[] = []

const notFound = () =>
  Object.assign(new Error("The image with imageId {imageTag:'abc1234'} does not exist"), {
    name: 'ImageNotFoundException',
    $metadata: { httpStatusCode: 400 },
  })

beforeEach(() => {
  ecrMock.reset()
  regions.length = 0
  runtime = new FakeRuntime()
})

const params = (overrides: Partial<ImageCheckParams> = {}): ImageCheckParams => ({
  repository: 'shop/api',
  tag: 'abc1234',
  digest: undefined,
  location: { region: 'eu-west-1', accountId: undefined, host: undefined },
  waitSeconds: 0,
  ...overrides,
})
const deps = () => ({
  runtime,
  ecr: (region: string) => {
    regions.push(region)
    return Promise.resolve(new ECRClient({ region }))
  },
})
const image = (tags: string[], pushedAt: Date, digest = DIGEST): ImageDetail => ({
  registryId: '123456789012',
  repositoryName: 'shop/api',
  imageDigest: digest,
  imageTags: tags,
  imagePushedAt: pushedAt,
})

test('found by tag: the digest, the registry id, one DescribeImages for the tag', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [image(['abc1234'], PUSHED)] })
  const result = await checkImage(params(), deps())
  expect(result).toEqual({ registryId: '123456789012', digest: DIGEST, pushedAt: PUSHED })
  expect(ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([
    { repositoryName: 'shop/api', imageIds: [{ imageTag: 'abc1234' }] },
  ])
  expect(runtime.logs).toContain(`Found shop/api:abc1234 in ECR: ${DIGEST}, pushed 2030-01-01T00:00:00.000Z.`)
})

test('another registry: registryId and its region', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [image(['abc1234'], PUSHED)] })
  await checkImage(
    params({
      location: {
        region: 'us-east-1',
        accountId: '111111111111',
        host: '111111111111.dkr.ecr.us-east-1.amazonaws.com',
      },
    }),
    deps(),
  )
  expect(regions).toEqual(['us-east-1'])
  expect(ecrMock.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toMatchObject({
    registryId: '111111111111',
  })
})

test('image-digest given: checks that digest, warns when it lacks the tag', async () => {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [image(['other'], PUSHED)] })
  const result = await checkImage(params({ digest: DIGEST }), deps())
  expect(result.digest).toBe(DIGEST)
  expect(ecrMock.commandCalls(DescribeImagesCommand)[0]?.args[0].input.imageIds).toEqual([
    { imageDigest: DIGEST },
  ])
  expect(runtime.logs.filter((line) => line.startsWith('warning:'))).toEqual([
    `warning: The image ${DIGEST} does not carry the tag 'abc1234' (its tags: other); the deploy uses the digest.`,
  ])
})

test('missing: fails naming repository, tag, region and the most recent tags', async () => {
  ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] })
    .rejects(notFound())
    .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
    .resolves({
      imageDetails: [
        image(['old'], new Date('2029-01-01T00:00:00Z')),
        image(['newest', 'latest'], new Date('2029-03-01T00:00:00Z')),
        image(['middle'], new Date('2029-02-01T00:00:00Z')),
      ],
    })
  const error = await checkImage(params(), deps()).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ActionError)
  expect((error as ActionError).message).toBe(
    "The image shop/api:abc1234 is not in ECR (repository shop/api, registry the caller's account, region eu-west-1). Its most recent tags: newest, latest, middle, old.",
  )
  expect((error as ActionError).hint).toContain('image-wait-seconds')
  expect(runtime.sleeps).toEqual([])
})

test('missing in an empty repository; listing pages are followed', async () => {
  ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] })
    .resolves({ imageDetails: [] })
    .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
    .resolvesOnce({ imageDetails: [], nextToken: 'page-2' })
    .resolvesOnce({ imageDetails: [] })
  await expect(checkImage(params(), deps())).rejects.toThrow('The repository has no tagged images.')
  expect(ecrMock.commandCalls(DescribeImagesCommand).at(-1)?.args[0].input.nextToken).toBe('page-2')
})

test('missing and the tags cannot be listed: still the clear error', async () => {
  ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] })
    .rejects(notFound())
    .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
    .rejects(new Error('throttled'))
  await expect(checkImage(params(), deps())).rejects.toThrow(
    /not in ECR .* Its recent tags could not be listed\./,
  )
})

test('image-wait-seconds: polls with the injected sleep until the image appears', async () => {
  ecrMock
    .on(DescribeImagesCommand)
    .rejectsOnce(notFound())
    .rejectsOnce(notFound())
    .resolves({ imageDetails: [image(['abc1234'], PUSHED)] })
  const result = await checkImage(params({ waitSeconds: 60 }), deps())
  expect(result.digest).toBe(DIGEST)
  expect(runtime.sleeps).toEqual([5000, 5000])
  expect(runtime.logs).toContain('shop/api:abc1234 is not in ECR yet; looking again (waited 5 of 60 s).')
})

test('image-wait-seconds: gives up when the time is spent, never sleeping past it', async () => {
  ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] })
    .rejects(notFound())
    .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
    .resolves({ imageDetails: [] })
  await expect(checkImage(params({ waitSeconds: 12 }), deps())).rejects.toThrow(
    /is not in ECR \(.*\) after waiting 12 s\./,
  )
  expect(runtime.sleeps).toEqual([5000, 5000, 2000])
})

test('image-wait-seconds: 0 does not claim it waited, however long the one request took', async () => {
  ecrMock
    .on(DescribeImagesCommand, { imageIds: [{ imageTag: 'abc1234' }] })
    .callsFake(() => {
      runtime.clock += 1_400
      throw notFound()
    })
    .on(DescribeImagesCommand, { filter: { tagStatus: 'TAGGED' } })
    .resolves({ imageDetails: [] })
  const error = await checkImage(params({ waitSeconds: 0 }), deps()).catch((e: unknown) => e)
  expect((error as Error).message).toMatch(/is not in ECR \(.*\)\. The repository has no tagged images\.$/)
  expect(runtime.sleeps).toEqual([])
})

test.each([
  [
    'RepositoryNotFoundException',
    /The ECR repository does not exist \(repository shop\/api, registry the caller's account, region eu-west-1\)\./,
  ],
  ['AccessDeniedException', /Not authorized to call ecr:DescribeImages/],
  ['ServerException', /ECR DescribeImages failed .*: ServerException: boom/],
])('%s: one clear ActionError keeping the cause', async (name, message) => {
  const cause = Object.assign(new Error('boom'), {
    name,
    $metadata: { httpStatusCode: 400, requestId: 'r-1' },
  })
  ecrMock.on(DescribeImagesCommand).rejects(cause)
  const error = await checkImage(params(), deps()).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ActionError)
  expect((error as ActionError).message).toMatch(message)
  expect((error as ActionError).cause).toBe(cause)
})

describe('recentTags', () => {
  test('newest first, images without a push time last, at most the limit', () => {
    const details = [
      { imageTags: ['no-time'] },
      image(['a'], new Date('2029-01-01T00:00:00Z')),
      image(['b', 'b2'], new Date('2029-05-01T00:00:00Z')),
      { imagePushedAt: new Date('2029-06-01T00:00:00Z') },
    ]
    expect(recentTags(details, 10)).toEqual(['b', 'b2', 'a', 'no-time'])
    expect(recentTags(details, 2)).toEqual(['b', 'b2'])
  })
})

describe('locateRepository', () => {
  test('the repository URI from DescribeRepositories', async () => {
    const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api'
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: uri }] })
    await expect(locateRepository(params(), deps())).resolves.toBe(uri)
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)[0]?.args[0].input).toEqual({
      repositoryNames: ['shop/api'],
    })
  })

  test('a missing repository says so', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(Object.assign(new Error('nope'), { name: 'RepositoryNotFoundException' }))
    await expect(locateRepository(params(), deps())).rejects.toThrow(/The ECR repository does not exist/)
  })
})
