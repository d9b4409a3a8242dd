import { GitHubApiError } from './api.js'
import type { GitHubApiParams } from './octokit.js'
import { messageOf } from '../lib/errors.js'

// GitHub answers in well under a second; a silent API must not hold the step.
const REQUEST_TIMEOUT_MS = 30_000
const PER_PAGE = 100

/** One attestation as GitHub's API lists it: the Sigstore bundle (JSON) it stores. */
export interface StoredAttestation {
  /** The bundle as listed, or fetched from its `bundle_url` when GitHub only links it. */
  readonly bundle: unknown
}

/**
 * The attestations of a subject digest, as `gh attestation verify` reads them: in a repository
 * (`owner/name`, --repo) GET /repos/{owner}/{repo}/attestations/{subject_digest}; for any repository
 * of an organization (`owner/*`, --owner) GET /orgs/{org}/attestations/{subject_digest}. First 100;
 * none (404) is an empty list. An attestation listed with only a `bundle_url` has its bundle fetched.
 * https://docs.github.com/rest/repos/repos#list-attestations
 * https://docs.github.com/rest/orgs/attestations#list-attestations
 */
export async function listAttestations(
  params: Omit<GitHubApiParams, 'repository'> & { readonly repository: string; readonly digest: string },
): Promise<readonly StoredAttestation[]> {
  const github = await import('@actions/github')
  const octokit = github.getOctokit(params.token, { baseUrl: params.apiUrl, userAgent: 'eks-deploy-action' })
  const [owner = '', repo = ''] = params.repository.split('/')
  const common = {
    subject_digest: params.digest,
    per_page: PER_PAGE,
    request: { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
  }
  let listed: unknown
  try {
    const { data } =
      repo === '*'
        ? await octokit.request('GET /orgs/{org}/attestations/{subject_digest}', { org: owner, ...common })
        : await octokit.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
            owner,
            repo,
            ...common,
          })
    listed = (data as { attestations?: unknown }).attestations
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
  if (!Array.isArray(listed)) return []
  return Promise.all(listed.map((item: unknown) => bundleOf(item as ListedAttestation | null)))
}

interface ListedAttestation {
  readonly bundle?: unknown
  readonly bundle_url?: unknown
}

/** The listed bundle; else the one its bundle_url serves (loaded only then); else undefined. */
async function bundleOf(item: ListedAttestation | null): Promise<StoredAttestation> {
  if (item?.bundle !== undefined && item.bundle !== null) return { bundle: item.bundle }
  if (typeof item?.bundle_url !== 'string') return { bundle: undefined }
  const { fetchLinkedBundle } = await import('./attestation-bundle.js')
  return { bundle: await fetchLinkedBundle(item.bundle_url) }
}
