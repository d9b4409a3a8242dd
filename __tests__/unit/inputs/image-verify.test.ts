import { parseInputs } from '../../../src/inputs/parse.js'
import { fakeContext, mapReader } from '../../fixtures/parsed-inputs.js'

const parse = (values: Record<string, string>) =>
  parseInputs(mapReader({ 'aws-region': 'eu-west-1', ...values }), fakeContext())

describe('the verify-image inputs', () => {
  test('verify-repository owner/*: any repository of the organization', () => {
    expect(parse({ 'verify-repository': 'octo-org/*' }).imageVerify.repository).toBe('octo-org/*')
  })

  test('off by default; attestation with its policy', () => {
    expect(parse({}).imageVerify.methods).toEqual([])
    expect(
      parse({
        'verify-image': 'attestation',
        'github-token': 'ghs_x',
        'verify-signer-workflow': 'octo-org/builds/.github/workflows/image.yml@refs/heads/main',
        'verify-source-ref': 'refs/tags/v1.2.3',
        'verify-repository': 'octo-org/api',
      }).imageVerify,
    ).toEqual({
      methods: ['attestation'],
      repository: 'octo-org/api',
      signerWorkflow: 'octo-org/builds/.github/workflows/image.yml@refs/heads/main',
      sourceRef: 'refs/tags/v1.2.3',
      trustedRoot: undefined,
    })
  })

  test.each([
    [
      { 'verify-image': 'cosign', 'github-token': 'x' },
      "Input 'verify-image': cosign signatures are not verified by this version yet",
    ],
    [{ 'verify-image': 'yes', 'github-token': 'x' }, "Input 'verify-image': must be 'attestation'"],
    [{ 'verify-image': 'attestation' }, "Input 'github-token': is required with verify-image: attestation"],
    [{ 'verify-repository': 'api' }, "Input 'verify-repository': must be owner/name"],
    [{ 'verify-repository': '*/*' }, "Input 'verify-repository': must be owner/name"],
    [{ 'verify-signer-workflow': 'build.yml' }, "Input 'verify-signer-workflow': must be the workflow"],
    [{ 'verify-source-ref': 'main' }, "Input 'verify-source-ref': must be a full Git ref"],
  ])('%j is refused before any call', (values, message) => {
    expect(() => parse(values)).toThrow(message)
  })

  test('a policy input without verify-image is a warning: it would check nothing', () => {
    expect(parse({ 'verify-source-ref': 'refs/heads/main' }).warnings).toEqual([
      "Input 'verify-source-ref': is only read with verify-image: attestation; it is ignored. Received: 'refs/heads/main'.",
    ])
  })
})
