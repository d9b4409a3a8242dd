import type { SignedBuild } from './bundle.js'
import type { AttestationPolicy, VerifiedBuild } from './types.js'

const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1'
// GitHub's OIDC issuer; an enterprise with a custom issuer has its slug after it; GHES its own host.
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

/** A rule of the policy the attestation broke: what was expected, what it showed. */
export interface Mismatch {
  readonly rule: string
  readonly expected: string
  readonly found: string
}

/**
 * Checks a verified attestation against the policy, as `gh attestation verify --repo` does (the subject
 * digest, SLSA provenance v1, GitHub Actions' issuer, the source repository, the signer workflow, and
 * optionally the source ref). Returns the build it proves, or every rule it broke.
 */
export function checkPolicy(
  build: SignedBuild,
  policy: AttestationPolicy,
  digest: string,
): { readonly build: VerifiedBuild } | { readonly mismatches: readonly Mismatch[] } {
  const { statement, certificate } = build
  const mismatches: Mismatch[] = []
  const expect = (rule: string, isMet: boolean, expected: string, found: string | undefined) => {
    if (!isMet) mismatches.push({ rule, expected, found: found ?? '(none)' })
  }
  const hex = digest.replace(/^sha256:/, '')
  const subjects = statement.subjects.map((subject) => subject.sha256).filter((d) => d !== undefined)
  expect('subject digest', subjects.includes(hex), digest, subjects.map((d) => `sha256:${d}`).join(', '))
  expect(
    'predicate type',
    statement.predicateType === SLSA_PROVENANCE_V1,
    SLSA_PROVENANCE_V1,
    statement.predicateType,
  )
  const { issuer } = certificate
  expect('OIDC issuer', isGitHubIssuer(issuer, policy.serverUrl), GITHUB_ISSUER, issuer)
  const repositoryUri = `${policy.serverUrl}/${policy.repository}`
  const owner = ownerScope(policy.repository)
  // owner/*: any repository of the owner, as gh attestation verify --owner checks the source repository's owner.
  expect(
    'source repository',
    owner === undefined
      ? sameText(certificate.sourceRepositoryUri, repositoryUri)
      : startsWithText(certificate.sourceRepositoryUri, `${policy.serverUrl}/${owner}/`),
    owner === undefined ? repositoryUri : `a repository of ${policy.serverUrl}/${owner}`,
    certificate.sourceRepositoryUri,
  )
  const signer = certificate.buildSignerUri
  const expectedSigner = signerRule(policy)
  expect('signer workflow', isSigner(signer, expectedSigner), expectedSigner.text, signer)
  if (policy.sourceRef !== undefined)
    expect(
      'source ref',
      certificate.sourceRepositoryRef === policy.sourceRef,
      policy.sourceRef,
      certificate.sourceRepositoryRef,
    )
  if (mismatches.length > 0) return { mismatches }
  return {
    build: {
      method: 'attestation',
      digest,
      signerWorkflow: signer ?? '',
      repository: repositoryOf(certificate.sourceRepositoryUri, policy),
      commit: certificate.sourceRepositoryDigest,
      ref: certificate.sourceRepositoryRef,
      run: certificate.runInvocationUri,
    },
  }
}

function isGitHubIssuer(issuer: string | undefined, serverUrl: string): boolean {
  if (issuer === undefined) return false
  return (
    issuer === GITHUB_ISSUER ||
    issuer.startsWith(`${GITHUB_ISSUER}/`) ||
    issuer === `${serverUrl}/_services/token`
  )
}

/** GitHub's owner and repository names ignore case. */
function sameText(found: string | undefined, expected: string): boolean {
  return found !== undefined && found.toLowerCase() === expected.toLowerCase()
}

function startsWithText(found: string | undefined, prefix: string): boolean {
  return found?.toLowerCase().startsWith(prefix.toLowerCase()) === true
}

/** `octo-org/*` (verify-repository): the owner whose repositories may have built the image; else undefined. */
function ownerScope(repository: string): string | undefined {
  return repository.endsWith('/*') ? repository.slice(0, -2) : undefined
}

/** owner/name of the repository that built it: the policy's, or with owner/* the certificate's. */
function repositoryOf(sourceUri: string | undefined, policy: AttestationPolicy): string {
  const prefix = `${policy.serverUrl}/`
  if (ownerScope(policy.repository) === undefined || sourceUri?.startsWith(prefix) !== true)
    return policy.repository
  return sourceUri.slice(prefix.length)
}

interface SignerRule {
  /** What the signer URI must equal (with a ref) or start with. */
  readonly prefix: string
  readonly isExact: boolean
  readonly text: string
}

/**
 * verify-signer-workflow (with @ref: exactly that; without: that workflow at any ref); without it,
 * any workflow of the repository, as gh's default (`--repo` alone).
 */
function signerRule(policy: AttestationPolicy): SignerRule {
  const { signerWorkflow, serverUrl, repository } = policy
  if (signerWorkflow === undefined) {
    const prefix = `${serverUrl}/${ownerScope(repository) ?? repository}/`
    return { prefix, isExact: false, text: `a workflow of ${prefix}` }
  }
  const uri = `${serverUrl}/${signerWorkflow}`
  return signerWorkflow.includes('@')
    ? { prefix: uri, isExact: true, text: uri }
    : { prefix: `${uri}@`, isExact: false, text: `${uri} at any ref` }
}

function isSigner(signer: string | undefined, rule: SignerRule): boolean {
  if (signer === undefined) return false
  const found = signer.toLowerCase()
  const prefix = rule.prefix.toLowerCase()
  return rule.isExact ? found === prefix : found.startsWith(prefix)
}
