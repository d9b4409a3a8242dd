import crypto from 'node:crypto'
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
      chartMethods: [],
      repository: 'octo-org/api',
      signerWorkflow: 'octo-org/builds/.github/workflows/image.yml@refs/heads/main',
      sourceRef: 'refs/tags/v1.2.3',
      trustedRoot: undefined,
      cosign: undefined,
    })
  })

  test('cosign: a key (PEM text or a file) or a keyless signer; no github-token needed', () => {
    const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(parse({ 'verify-image': 'cosign', 'cosign-public-key': pem }).imageVerify).toMatchObject({
      methods: ['cosign'],
      cosign: { kind: 'key', key: { kind: 'pem', pem: pem.trim() } },
    })
    expect(
      parse({ 'verify-image': 'cosign', 'cosign-public-key': 'keys/cosign.pub' }).imageVerify.cosign,
    ).toEqual({
      kind: 'key',
      key: { kind: 'file', path: 'keys/cosign.pub' },
    })
    expect(
      parse({
        'verify-image': 'attestation, cosign',
        'github-token': 'ghs_x',
        'cosign-identity': 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main',
        'cosign-issuer': 'https://token.actions.githubusercontent.com',
      }).imageVerify,
    ).toMatchObject({
      methods: ['attestation', 'cosign'],
      cosign: {
        kind: 'keyless',
        identity: 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
      },
    })
  })

  test.each([
    [
      { 'verify-image': 'cosign' },
      "Input 'verify-image': needs cosign-public-key (signed with cosign sign --key)",
    ],
    [
      {
        'verify-image': 'cosign',
        'cosign-identity': 'https://github.com/o/r/.github/workflows/b.yml@refs/heads/main',
      },
      "Input 'cosign-issuer': is required with the other of cosign-identity and cosign-issuer",
    ],
    [
      {
        'verify-image': 'cosign',
        'cosign-public-key': 'awskms:///arn:aws:kms:eu-west-1:123456789012:key/abc',
      },
      "Input 'cosign-public-key': a KMS key is not supported yet: give its public key in PEM",
    ],
    [
      { 'verify-image': 'cosign', 'cosign-public-key': 'arn:aws:kms:eu-west-1:123456789012:key/abc' },
      "Input 'cosign-public-key': a KMS key is not supported yet",
    ],
    [
      {
        'verify-image': 'cosign',
        'cosign-public-key': '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
      },
      "Input 'cosign-public-key': is not a public key cosign signs with",
    ],
    [
      { 'verify-image': 'yes', 'github-token': 'x' },
      "Input 'verify-image': must be 'attestation', 'cosign' or both",
    ],
    [{ 'verify-image': 'attestation' }, "Input 'github-token': is required with verify-image: attestation"],
    [{ 'verify-repository': 'api' }, "Input 'verify-repository': must be owner/name"],
    [{ 'verify-repository': '*/*' }, "Input 'verify-repository': must be owner/name"],
    [{ 'verify-signer-workflow': 'build.yml' }, "Input 'verify-signer-workflow': must be the workflow"],
    [{ 'verify-source-ref': 'main' }, "Input 'verify-source-ref': must be a full Git ref"],
  ])('%j is refused before any call', (values, message) => {
    expect(() => parse(values)).toThrow(message)
  })

  test('a cosign input without verify-image: cosign is a warning', () => {
    expect(parse({ 'cosign-issuer': 'https://token.actions.githubusercontent.com' }).warnings).toEqual([
      "Input 'cosign-issuer': is only read with verify-image or verify-chart: cosign; it is ignored. Received: 'https://token.actions.githubusercontent.com'.",
    ])
  })

  test('a policy input without verify-image is a warning: it would check nothing', () => {
    expect(parse({ 'verify-source-ref': 'refs/heads/main' }).warnings).toEqual([
      "Input 'verify-source-ref': is only read with verify-image or verify-chart: attestation; it is ignored. Received: 'refs/heads/main'.",
    ])
  })

  test('verify-chart: cosign reads the same cosign inputs as verify-image; attestation needs github-token', () => {
    expect(
      parse({
        'verify-chart': 'cosign',
        'cosign-identity': 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main',
        'cosign-issuer': 'https://token.actions.githubusercontent.com',
      }).imageVerify,
    ).toMatchObject({ methods: [], chartMethods: ['cosign'], cosign: { kind: 'keyless' } })
    expect(() => parse({ 'verify-chart': 'attestation' })).toThrow(
      "Input 'github-token': is required with verify-chart: attestation",
    )
    expect(() => parse({ 'verify-chart': 'prov' })).toThrow(
      "Input 'verify-chart': must be 'attestation', 'cosign' or both",
    )
  })
})
