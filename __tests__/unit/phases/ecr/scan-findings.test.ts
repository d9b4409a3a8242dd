import {
  DescribeImageScanFindingsCommand,
  ECRClient,
  type DescribeImageScanFindingsResponse,
  type EnhancedImageScanFinding,
  type ImageScanFinding,
} from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'
import type { ScanSeverity } from '../../../../src/inputs/types.js'
import { ActionError } from '../../../../src/lib/errors.js'
import { checkScanFindings } from '../../../../src/phases/ecr/scan-findings.js'
import type { ScanParams } from '../../../../src/phases/ecr/scan-severity.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

const ecrMock = mockClient(ECRClient)
const DIGEST = `sha256:${'c'.repeat(64)}`
const COMPLETED = new Date('2026-12-06T10:00:00Z')
let runtime: FakeRuntime

beforeEach(() => {
  ecrMock.reset()
  runtime = new FakeRuntime()
})

const params = (threshold: ScanSeverity, accountId?: string): ScanParams => ({
  repository: 'shop/api',
  digest: DIGEST,
  location: { region: 'eu-west-1', accountId, host: undefined },
  threshold,
})
const check = (threshold: ScanSeverity, accountId?: string) =>
  checkScanFindings(params(threshold, accountId), new ECRClient({ region: 'eu-west-1' }), runtime)
const refusal = async (threshold: ScanSeverity): Promise<ActionError> => {
  const error = await check(threshold).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ActionError)
  return error as ActionError
}

const basic = (name: string, severity: string, pkg?: [string, string]): ImageScanFinding => ({
  name,
  severity: severity as ImageScanFinding['severity'],
  uri: `https://cve.example/${name}`,
  attributes:
    pkg === undefined
      ? []
      : [
          { key: 'package_name', value: pkg[0] },
          { key: 'package_version', value: pkg[1] },
        ],
})
const enhanced = (id: string, severity: string, pkg: [string, string]): EnhancedImageScanFinding => ({
  severity,
  title: `${id} - ${pkg[0]}`,
  packageVulnerabilityDetails: {
    vulnerabilityId: id,
    sourceUrl: `https://nvd.example/${id}`,
    vulnerablePackages: [{ name: pkg[0], version: pkg[1] }],
  },
})
const answer = (
  findings: Partial<NonNullable<DescribeImageScanFindingsResponse['imageScanFindings']>>,
  status = 'COMPLETE',
  nextToken?: string,
): DescribeImageScanFindingsResponse => ({
  imageScanStatus: { status: status as 'COMPLETE', description: 'The scan was completed successfully.' },
  imageScanFindings: { imageScanCompletedAt: COMPLETED, ...findings },
  ...(nextToken === undefined ? {} : { nextToken }),
})

test('basic findings below the threshold: the verdict with the counts, one call for the exact digest', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(
    answer({
      findings: [basic('CVE-2026-0002', 'LOW'), basic('CVE-2026-0001', 'MEDIUM', ['zlib', '1.2.13'])],
      findingSeverityCounts: { MEDIUM: 1, LOW: 1 },
    }),
  )
  const verdict = await check('HIGH', '210987654321')
  expect(verdict).toEqual({
    threshold: 'HIGH',
    scanType: 'basic',
    counts: { MEDIUM: 1, LOW: 1 },
    completedAt: COMPLETED.toISOString(),
  })
  expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((call) => call.args[0].input)).toEqual([
    {
      repositoryName: 'shop/api',
      imageId: { imageDigest: DIGEST },
      registryId: '210987654321',
      maxResults: 1000,
    },
  ])
  expect(runtime.logs).toContain(`ECR's basic scan of shop/api@${DIGEST}: MEDIUM 1, LOW 1.`)
  expect(runtime.logs).toContain('  MEDIUM CVE-2026-0001 zlib 1.2.13 https://cve.example/CVE-2026-0001')
})

test.each<[ScanSeverity, boolean]>([
  ['CRITICAL', false],
  ['HIGH', true],
  ['MEDIUM', true],
  ['UNDEFINED', true],
])('a HIGH finding with fail-on-severity %s: refused %s', async (threshold, isRefused) => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .resolves(answer({ findings: [basic('CVE-2026-1', 'HIGH')], findingSeverityCounts: { HIGH: 1 } }))
  const outcome = await check(threshold).then(
    () => 'passed',
    (error: unknown) => (error instanceof ActionError ? 'refused' : error),
  )
  expect(outcome).toBe(isRefused ? 'refused' : 'passed')
})

test('enhanced findings over two pages: refused, the most severe first with package and version, counts of all', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .resolvesOnce(
      answer(
        {
          enhancedFindings: [enhanced('CVE-2026-0100', 'MEDIUM', ['libxml2', '2.9.14'])],
          findingSeverityCounts: { CRITICAL: 1, HIGH: 1, MEDIUM: 1, UNTRIAGED: 1 } as Record<string, number>,
        },
        'ACTIVE',
        'page-2',
      ),
    )
    .resolvesOnce(
      answer(
        {
          enhancedFindings: [
            enhanced('CVE-2026-0200', 'HIGH', ['openssl', '3.0.2']),
            enhanced('CVE-2026-0300', 'CRITICAL', ['glibc', '2.36']),
            enhanced('CVE-2026-0400', 'UNTRIAGED', ['busybox', '1.36']),
          ],
        },
        'ACTIVE',
      ),
    )
  const error = await refusal('HIGH')
  expect(error.message.split('\n')).toEqual([
    `Refused to deploy shop/api@${DIGEST}: ECR's enhanced scan found 2 findings at or above HIGH (fail-on-severity).`,
    '  findings: CRITICAL 1, HIGH 1, MEDIUM 1, UNTRIAGED 1',
    '  CRITICAL CVE-2026-0300 glibc 2.36 https://nvd.example/CVE-2026-0300',
    '  HIGH CVE-2026-0200 openssl 3.0.2 https://nvd.example/CVE-2026-0200',
  ])
  expect(error.hint).toMatch(/set fail-on-severity above HIGH/)
  const calls = ecrMock.commandCalls(DescribeImageScanFindingsCommand)
  expect(calls.map((call) => call.args[0].input.nextToken)).toEqual([undefined, 'page-2'])
})

test('more findings than listed: ten named, the rest counted with the command that lists them', async () => {
  const findings = Array.from({ length: 12 }, (_, i) => basic(`CVE-2026-${1000 + i}`, 'CRITICAL'))
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .resolves(answer({ findings, findingSeverityCounts: { CRITICAL: 12 } }))
  const lines = (await refusal('CRITICAL')).message.split('\n')
  expect(lines.filter((line) => line.startsWith('  CRITICAL CVE-'))).toHaveLength(10)
  expect(lines.at(-1)).toBe(
    `  ... and 2 more at or above CRITICAL: aws ecr describe-image-scan-findings --repository-name shop/api --image-id imageDigest=${DIGEST} --region eu-west-1`,
  )
})

test('no counts in the answer: counted from the findings', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(answer({ findings: [basic('CVE-1', 'LOW')] }))
  expect((await check('MEDIUM')).counts).toEqual({ LOW: 1 })
})

test('no scan of the digest (ScanNotFoundException): refused, how to scan on push or now', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .rejects(Object.assign(new Error('Image scan does not exist'), { name: 'ScanNotFoundException' }))
  const error = await refusal('HIGH')
  expect(error.message).toBe(
    `Refused to deploy shop/api@${DIGEST}: ECR has no scan of this digest, so fail-on-severity cannot vouch for it.`,
  )
  expect(error.hint).toContain('scanOnPush=true')
  expect(error.hint).toContain(
    `aws ecr start-image-scan --repository-name shop/api --image-id imageDigest=${DIGEST}`,
  )
})

test.each([
  ['IN_PROGRESS', /still running/],
  ['UNSUPPORTED_IMAGE', /does not support this image/],
  ['FAILED', /start-image-scan/],
])('a scan %s: refused, saying so', async (status, hint) => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: status as 'FAILED', description: 'the scanner said so' },
  })
  const error = await refusal('CRITICAL')
  expect(error.message).toBe(
    `Refused to deploy shop/api@${DIGEST}: ECR's scan of this digest is ${status}: the scanner said so, so fail-on-severity cannot vouch for it.`,
  )
  expect(error.hint).toMatch(hint)
})

test('AccessDenied: the grant line names ecr:DescribeImageScanFindings, and Inspector for enhanced scanning', async () => {
  ecrMock
    .on(DescribeImageScanFindingsCommand)
    .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }))
  const error = await refusal('HIGH')
  expect(error.message).toBe(
    `Not authorized to call ecr:DescribeImageScanFindings (repository shop/api, ${DIGEST}, region eu-west-1).`,
  )
  expect(error.hint).toMatch(
    /^Allow ecr:DescribeImageScanFindings to the role in its IAM policy on the repository/,
  )
  expect(error.hint).toContain('inspector2:ListFindings')
})

test('a finding name holding a workflow command is quoted harmlessly', async () => {
  ecrMock.on(DescribeImageScanFindingsCommand).resolves(
    answer({
      findings: [basic('CVE-1\n::error::boom', 'CRITICAL')],
      findingSeverityCounts: { CRITICAL: 1 },
    }),
  )
  const error = await refusal('HIGH')
  expect(error.message.split('\n').some((line) => line.startsWith('::'))).toBe(false)
})
