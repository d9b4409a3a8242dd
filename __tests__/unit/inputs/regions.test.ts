import { AWS_PARTITIONS } from '../../../src/inputs/aws-partitions.js'
import { classifyRegion, partitionOfArn } from '../../../src/inputs/regions.js'
import { readSdkPartitions } from '../../../scripts/aws-partitions.mjs'

describe('the partition data', () => {
  test("is the installed AWS SDK's (run `node scripts/aws-partitions.mjs` after an SDK update)", () => {
    expect(AWS_PARTITIONS).toEqual(readSdkPartitions())
  })
})

describe('classifyRegion', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['il-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
  ])('%s: known, partition %s', (region, partition) => {
    expect(classifyRegion(region)).toEqual({ kind: 'known', partition })
  })

  test.each([
    ['us-eest-1', 'aws', 'us-east-1'],
    ['eu-west-99', 'aws', 'eu-west-1'],
    ['ca-south-9', 'aws', undefined],
    ['eu-wset-1', 'aws', 'eu-west-1'],
    ['cn-south-7', 'aws-cn', undefined],
    ['us-gov-central-1', 'aws-us-gov', undefined],
  ])("%s: of partition %s's shape but not listed (suggestion %s)", (region, partition, suggestion) => {
    expect(classifyRegion(region)).toEqual({ kind: 'unknown', partition, suggestion })
  })

  test.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', 'xx-west-1', 'eu_west_1', '', 'aws-global'])(
    '%s: no region at all',
    (region) => {
      expect(classifyRegion(region)).toEqual({ kind: 'malformed' })
    },
  )

  test('partitionOfArn', () => {
    expect(partitionOfArn('arn:aws-cn:iam::123456789012:role/x')).toBe('aws-cn')
    expect(partitionOfArn('nonsense')).toBe('')
  })
})
