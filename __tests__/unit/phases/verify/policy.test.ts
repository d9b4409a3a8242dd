import { checkPolicy } from '../../../../src/phases/verify/policy.js'
import type { AttestationPolicy } from '../../../../src/phases/verify/types.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const SIGNER = 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main'
const build = (
  certificate: Record<string, string | undefined> = {},
  predicateType = 'https://slsa.dev/provenance/v1',
) => ({
  statement: { predicateType, subjects: [{ name: 'x', sha256: 'a'.repeat(64) }] },
  certificate: {
    subjectAlternativeName: SIGNER,
    issuer: 'https://token.actions.githubusercontent.com',
    sourceRepositoryUri: 'https://github.com/octo-org/api',
    sourceRepositoryDigest: 'c'.repeat(40),
    sourceRepositoryRef: 'refs/heads/main',
    buildSignerUri: SIGNER,
    runInvocationUri: 'https://github.com/octo-org/api/actions/runs/1/attempts/1',
    ...certificate,
  },
})
const policy = (overrides: Partial<AttestationPolicy> = {}): AttestationPolicy => ({
  repository: 'octo-org/api',
  serverUrl: 'https://github.com',
  signerWorkflow: undefined,
  sourceRef: undefined,
  ...overrides,
})

describe('checkPolicy: the rules of gh attestation verify --repo', () => {
  test('a build of the repository passes, and names its workflow, commit, ref and run', () => {
    expect(checkPolicy(build(), policy(), DIGEST)).toEqual({
      build: {
        method: 'attestation',
        digest: DIGEST,
        signerWorkflow: SIGNER,
        repository: 'octo-org/api',
        commit: 'c'.repeat(40),
        ref: 'refs/heads/main',
        run: 'https://github.com/octo-org/api/actions/runs/1/attempts/1',
      },
    })
  })

  test.each([
    ['owner and name in another case', policy({ repository: 'Octo-Org/API' }), {}],
    [
      'a reusable workflow named without a ref',
      policy({ signerWorkflow: 'octo-org/api/.github/workflows/build.yml' }),
      {},
    ],
    [
      'the signer workflow with its ref',
      policy({ signerWorkflow: 'octo-org/api/.github/workflows/build.yml@refs/heads/main' }),
      {},
    ],
    ['the source ref', policy({ sourceRef: 'refs/heads/main' }), {}],
    [
      'an enterprise issuer',
      policy(),
      { issuer: 'https://token.actions.githubusercontent.com/octo-enterprise' },
    ],
    [
      'GHES: its own server and issuer',
      policy({ serverUrl: 'https://ghes.example' }),
      {
        issuer: 'https://ghes.example/_services/token',
        sourceRepositoryUri: 'https://ghes.example/octo-org/api',
        buildSignerUri: 'https://ghes.example/octo-org/api/.github/workflows/build.yml@refs/heads/main',
      },
    ],
  ])('passes: %s', (_name, rules, certificate) => {
    expect(checkPolicy(build(certificate), rules, DIGEST)).toHaveProperty('build')
  })

  test.each([
    ['another digest', build(), policy(), `sha256:${'b'.repeat(64)}`, 'subject digest'],
    ['another predicate', build({}, 'https://spdx.dev/Document/v2.3'), policy(), DIGEST, 'predicate type'],
    ['another issuer', build({ issuer: 'https://accounts.google.com' }), policy(), DIGEST, 'OIDC issuer'],
    [
      'a repository whose name starts the same',
      build({ sourceRepositoryUri: 'https://github.com/octo-org/api-fork' }),
      policy(),
      DIGEST,
      'source repository',
    ],
    [
      'a signer in a repository whose name starts the same',
      build({
        buildSignerUri: 'https://github.com/octo-org/api-fork/.github/workflows/build.yml@refs/heads/main',
      }),
      policy(),
      DIGEST,
      'signer workflow',
    ],
    [
      'a workflow whose name starts the same',
      build({
        buildSignerUri:
          'https://github.com/octo-org/api/.github/workflows/build.yml.evil.yml@refs/heads/main',
      }),
      policy({ signerWorkflow: 'octo-org/api/.github/workflows/build.yml' }),
      DIGEST,
      'signer workflow',
    ],
    [
      'the signer at another ref',
      build(),
      policy({ signerWorkflow: 'octo-org/api/.github/workflows/build.yml@refs/tags/v1' }),
      DIGEST,
      'signer workflow',
    ],
    [
      'another source ref',
      build({ sourceRepositoryRef: 'refs/heads/dev' }),
      policy({ sourceRef: 'refs/heads/main' }),
      DIGEST,
      'source ref',
    ],
    [
      'no repository extension',
      build({ sourceRepositoryUri: undefined }),
      policy(),
      DIGEST,
      'source repository',
    ],
  ])('refuses %s', (_name, signed, rules, digest, rule) => {
    const result = checkPolicy(signed, rules, digest)
    expect('mismatches' in result && result.mismatches.map((m) => m.rule)).toEqual([rule])
  })
})

describe('checkPolicy with verify-repository owner/*: the rules of gh attestation verify --owner', () => {
  const images = 'https://github.com/octo-org/images/.github/workflows/build.yml@refs/heads/main'
  const ofImages = { sourceRepositoryUri: 'https://github.com/Octo-Org/images', buildSignerUri: images }

  test('a build of any repository of the owner passes, naming that repository', () => {
    const result = checkPolicy(build(ofImages), policy({ repository: 'octo-org/*' }), DIGEST)
    expect('build' in result && result.build).toMatchObject({
      repository: 'Octo-Org/images',
      signerWorkflow: images,
    })
  })

  test.each([
    [
      'a repository of another owner',
      { sourceRepositoryUri: 'https://github.com/octo-org-evil/api', buildSignerUri: images },
      ['source repository'],
    ],
    [
      'a signer workflow of another owner',
      {
        ...ofImages,
        buildSignerUri: 'https://github.com/evil/builds/.github/workflows/b.yml@refs/heads/main',
      },
      ['signer workflow'],
    ],
  ])('refuses %s', (_name, certificate, rules) => {
    const result = checkPolicy(build(certificate), policy({ repository: 'octo-org/*' }), DIGEST)
    expect('mismatches' in result && result.mismatches.map((m) => m.rule)).toEqual(rules)
  })
})
