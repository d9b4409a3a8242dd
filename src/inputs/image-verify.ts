import { readCosign } from './cosign.js'
import type { InputProblems } from './problems.js'
import type { ImageVerifyInputs, ImageVerifyMethod } from './types.js'

// Readers of the inputs that verify the image before it is deployed (issue 26).

// owner/name, or owner/* for any repository of the owner (gh attestation verify --owner).
const REPOSITORY_PATTERN = /^[A-Za-z0-9_.-]+\/(?:[A-Za-z0-9_.-]+|\*)$/
// owner/repo/.github/workflows/build.yml, optionally @ref: what follows the server in a signer URI.
const WORKFLOW_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/\.github\/workflows\/[^@\s]+\.ya?ml(@\S+)?$/
const REF_PATTERN = /^refs\/(heads|tags|pull)\/\S+$/

export function readImageVerify(p: InputProblems): ImageVerifyInputs {
  const methods = readMethods(p, 'verify-image')
  const chartMethods = readMethods(p, 'verify-chart')
  const all = [...methods, ...chartMethods]
  const inputs: ImageVerifyInputs = {
    methods,
    chartMethods,
    repository: p.matching(
      'verify-repository',
      REPOSITORY_PATTERN,
      'must be owner/name, such as octo-org/api, or owner/* for any repository of the organization.',
    ),
    signerWorkflow: p.matching(
      'verify-signer-workflow',
      WORKFLOW_PATTERN,
      'must be the workflow that built and attested the image: owner/repo/.github/workflows/build.yml (optionally @refs/heads/main).',
    ),
    sourceRef: p.matching(
      'verify-source-ref',
      REF_PATTERN,
      'must be a full Git ref such as refs/heads/main or refs/tags/v1.2.3.',
    ),
    trustedRoot: p.optional('trusted-root'),
    cosign: readCosign(p, all.includes('cosign')),
  }
  const isAttestation = all.includes('attestation')
  if (!isAttestation) {
    for (const name of ['verify-signer-workflow', 'verify-source-ref'] as const) {
      const value = p.raw(name)
      if (value !== '')
        p.warn(name, value, 'is only read with verify-image or verify-chart: attestation; it is ignored.')
    }
  }
  const trustedRoot = p.raw('trusted-root')
  if (all.length === 0 && trustedRoot !== '')
    p.warn(
      'trusted-root',
      trustedRoot,
      'is only read with verify-image or verify-chart: attestation or cosign; it is ignored.',
    )
  if (isAttestation && p.optional('github-token') === undefined)
    p.add(
      'github-token',
      '',
      `is required with ${methods.includes('attestation') ? 'verify-image' : 'verify-chart'}: attestation (the attestations are read from the GitHub API; its default is \${{ github.token }}).`,
    )
  return inputs
}

function readMethods(p: InputProblems, name: 'verify-image' | 'verify-chart'): ImageVerifyMethod[] {
  const methods: ImageVerifyMethod[] = []
  for (const item of p.list(name)) {
    const method = item.toLowerCase()
    if (method === 'attestation' || method === 'cosign') {
      if (!methods.includes(method)) methods.push(method)
    } else if (method !== 'false' && method !== 'none') {
      p.add(name, item, "must be 'attestation', 'cosign' or both (or empty: no verification).")
    }
  }
  return methods
}
