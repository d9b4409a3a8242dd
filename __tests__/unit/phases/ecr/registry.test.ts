import {
  ecrHost,
  hostOfEndpoint,
  locateImageRegistry,
  planTokenRequests,
} from '../../../../src/phases/ecr/registry.js'
import { parseInputs } from '../../../../src/inputs/parse.js'
import type { RegistryRef } from '../../../../src/inputs/types.js'
import { readRunnerContext } from '../../../../src/runner/context.js'

const context = readRunnerContext({}, { os: 'linux', arch: 'x64', tmpdir: '/tmp' })
const parse = (inputs: Record<string, string>) => parseInputs((name) => inputs[name] ?? '', context)

const account = (accountId: string): RegistryRef => ({ kind: 'account', accountId })
const host = (accountId: string, region: string): RegistryRef => ({
  kind: 'host',
  host: `${accountId}.dkr.ecr.${region}.amazonaws.com`,
  accountId,
  region,
})

describe('registries input', () => {
  test.each<[string, RegistryRef[]]>([
    ['', []],
    ['111111111111', [account('111111111111')]],
    ['111111111111, 222222222222', [account('111111111111'), account('222222222222')]],
    [
      '111111111111\n# comment\n333333333333.dkr.ecr.us-east-1.amazonaws.com',
      [account('111111111111'), host('333333333333', 'us-east-1')],
    ],
    ['333333333333.DKR.ECR.us-east-1.amazonaws.com', [host('333333333333', 'us-east-1')]],
    [
      '444444444444.dkr.ecr.cn-north-1.amazonaws.com.cn',
      [
        {
          kind: 'host',
          host: '444444444444.dkr.ecr.cn-north-1.amazonaws.com.cn',
          accountId: '444444444444',
          region: 'cn-north-1',
        },
      ],
    ],
    [
      '555555555555.dkr.ecr-fips.us-east-1.amazonaws.com',
      [
        {
          kind: 'host',
          host: '555555555555.dkr.ecr-fips.us-east-1.amazonaws.com',
          accountId: '555555555555',
          region: 'us-east-1',
        },
      ],
    ],
  ])('%p', (raw, expected) => {
    expect(parse({ 'aws-region': 'eu-west-1', registries: raw }).ecr.registries).toEqual(expected)
  })

  test.each([
    ['12345', '12345'],
    ['ghcr.io', 'ghcr.io'],
    [
      'https://111111111111.dkr.ecr.us-east-1.amazonaws.com',
      'https://111111111111.dkr.ecr.us-east-1.amazonaws.com',
    ],
    [
      '111111111111.dkr.ecr.us-east-1.amazonaws.com/shop/api',
      '111111111111.dkr.ecr.us-east-1.amazonaws.com/shop/api',
    ],
  ])('refuses %p naming the input and the value', (raw, received) => {
    expect(() => parse({ 'aws-region': 'eu-west-1', registries: raw })).toThrow(
      `Input 'registries': each item must be a 12-digit account id or an ECR host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com. Received: '${received}'.`,
    )
  })
})

describe('require-image input', () => {
  test.each<[string, 'auto' | boolean]>([
    ['', 'auto'],
    ['auto', 'auto'],
    ['true', true],
    ['FALSE', false],
  ])('%p', (raw, expected) => {
    expect(parse({ 'aws-region': 'eu-west-1', 'require-image': raw }).ecr.requireImage).toBe(expected)
  })

  test('anything else names the three choices', () => {
    expect(() => parse({ 'aws-region': 'eu-west-1', 'require-image': 'yes' })).toThrow(
      "Input 'require-image': must be one of 'auto', 'true', 'false'. Received: 'yes'.",
    )
  })
})

describe('ecrHost and hostOfEndpoint', () => {
  test.each([
    ['123456789012', 'eu-west-1', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ['123456789012', 'cn-northwest-1', '123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn'],
  ])('%s in %s', (accountId, region, expected) => {
    expect(ecrHost(accountId, region)).toBe(expected)
  })

  test.each([
    ['https://123456789012.dkr.ecr.eu-west-1.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ['', undefined],
  ])('%p', (endpoint, expected) => {
    expect(hostOfEndpoint(endpoint)).toBe(expected)
  })
})

describe('locateImageRegistry', () => {
  test('no registries: the caller registry in aws-region, host unknown until asked', () => {
    expect(locateImageRegistry([], 'eu-west-1')).toEqual({
      region: 'eu-west-1',
      accountId: undefined,
      host: undefined,
    })
  })
  test('the first registry holds the repository', () => {
    expect(locateImageRegistry([account('111111111111'), host('2222', 'us-east-1')], 'eu-west-1')).toEqual({
      region: 'eu-west-1',
      accountId: '111111111111',
      host: '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
    })
    expect(locateImageRegistry([host('333333333333', 'us-east-1')], 'eu-west-1')).toEqual({
      region: 'us-east-1',
      accountId: '333333333333',
      host: '333333333333.dkr.ecr.us-east-1.amazonaws.com',
    })
  })
})

describe('planTokenRequests', () => {
  test('no registries: one request for the caller registry', () => {
    expect(planTokenRequests([], 'eu-west-1')).toEqual([
      { region: 'eu-west-1', hasCallerRegistry: true, hosts: [] },
    ])
  })

  test('one request per region, account ids in aws-region, duplicates once', () => {
    expect(
      planTokenRequests(
        [
          account('111111111111'),
          host('333333333333', 'us-east-1'),
          host('222222222222', 'eu-west-1'),
          account('111111111111'),
          host('444444444444', 'us-east-1'),
        ],
        'eu-west-1',
      ),
    ).toEqual([
      {
        region: 'eu-west-1',
        hasCallerRegistry: false,
        hosts: [
          '111111111111.dkr.ecr.eu-west-1.amazonaws.com',
          '222222222222.dkr.ecr.eu-west-1.amazonaws.com',
        ],
      },
      {
        region: 'us-east-1',
        hasCallerRegistry: false,
        hosts: [
          '333333333333.dkr.ecr.us-east-1.amazonaws.com',
          '444444444444.dkr.ecr.us-east-1.amazonaws.com',
        ],
      },
    ])
  })

  test("an oci:// chart's registry: after the caller's own, in its region's request", () => {
    const chart = host('555555555555', 'eu-west-1')
    expect(planTokenRequests([], 'eu-west-1', [chart])).toEqual([
      { region: 'eu-west-1', hasCallerRegistry: true, hosts: [chart.kind === 'host' ? chart.host : ''] },
    ])
    expect(
      planTokenRequests([account('111111111111')], 'eu-west-1', [host('555555555555', 'us-east-1')]),
    ).toEqual([
      {
        region: 'eu-west-1',
        hasCallerRegistry: false,
        hosts: ['111111111111.dkr.ecr.eu-west-1.amazonaws.com'],
      },
      {
        region: 'us-east-1',
        hasCallerRegistry: false,
        hosts: ['555555555555.dkr.ecr.us-east-1.amazonaws.com'],
      },
    ])
  })
})
