import { GitHubApiError } from './api.js'
import type { GitHubApiParams } from './octokit.js'
import { messageOf } from '../lib/errors.js'

// GitHub answers in well under a second; a silent API must not hold the step.
const REQUEST_TIMEOUT_MS = 30_000
const PER_PAGE = 100

/** One attestation as GitHub's API lists it: the Sigstore bundle (JSON) it stores. */
export interface StoredAttestation {
  /** Undefined when GitHub only links it (`bundle_url`), which this action does not follow. */
  readonly bundle: unknown
}

/**
 * The attestations of a subject digest in a repository, as `gh attestation verify --repo` reads them:
 * GET /repos/{owner}/{repo}/attestations/{subject_digest} (first 100). None (404) is an empty list.
 * https://docs.github.com/rest/repos/repos#list-attestations
 */
export async function listAttestations(
  params: Omit<GitHubApiParams, 'repository'> & { readonly repository: string; readonly digest: string },
): Promise<readonly StoredAttestation[]> {
  const github = await import('@actions/github')
  const octokit = github.getOctokit(params.token, { baseUrl: params.apiUrl, userAgent: 'eks-deploy-action' })
  const [owner = '', repo = ''] = params.repository.split('/')
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
      owner,
      repo,
      subject_digest: params.digest,
      per_page: PER_PAGE,
      request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
    })
    const attestations = (data as { attestations?: unknown }).attestations
    return Array.isArray(attestations)
      ? attestations.map((item: unknown) => ({
          bundle: (item as { bundle?: unknown } | null)?.bundle ?? undefined,
        }))
      : []
  } catch (error) {
    const status = (error as { status?: unknown }).status
    if (status === 404) return []
    throw new GitHubApiError(
      typeof status === 'number' ? status : undefined,
      `Could not list the attestations of ${params.digest} in ${params.repository}: ${messageOf(error)}${
        typeof status === 'number' ? ` (HTTP ${status})` : ''
      }`,
    )
  }
}
