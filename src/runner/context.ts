import type { Env } from '../lib/env.js'

/** Where the runner hands out ID tokens; present only with `permissions: id-token: write`. */
export interface IdTokenRequest {
  readonly url: string
  readonly bearer: string
}

/** What the runner tells the action through its environment, read once. */
export interface RunnerContext {
  readonly repository: string
  readonly runId: string
  readonly runAttempt: string
  readonly sha: string
  readonly eventName: string
  readonly eventPath: string | undefined
  /** GITHUB_API_URL: the REST API (GitHub Enterprise Server has its own). */
  readonly apiUrl: string
  /** GITHUB_SERVER_URL: where the run's log is (https://github.com, or the GHES host). */
  readonly serverUrl: string
  readonly runnerTemp: string
  /** GITHUB_WORKSPACE: the checkout, which relative paths in inputs (`manifests`) start from. */
  readonly workspace: string | undefined
  readonly os: string
  readonly arch: string
  readonly idTokenRequest: IdTokenRequest | undefined
  readonly ambientRegion: string | undefined
  /** The job's own environment, passed on to child processes (helm, docker). */
  readonly env: Env
}

/** Events of a pull request (pull_request, pull_request_target, pull_request_review...): their GITHUB_SHA is not the head commit. */
export const isPullRequestEvent = (eventName: string): boolean => eventName.startsWith('pull_request')

export function readRunnerContext(
  env: Env,
  platform: { os: string; arch: string; tmpdir: string },
): RunnerContext {
  const nonEmpty = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  return {
    repository: nonEmpty('GITHUB_REPOSITORY') ?? 'local/repository',
    runId: nonEmpty('GITHUB_RUN_ID') ?? '0',
    runAttempt: nonEmpty('GITHUB_RUN_ATTEMPT') ?? '1',
    sha: nonEmpty('GITHUB_SHA') ?? '',
    eventName: nonEmpty('GITHUB_EVENT_NAME') ?? 'push',
    eventPath: nonEmpty('GITHUB_EVENT_PATH'),
    apiUrl: (nonEmpty('GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (nonEmpty('GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, ''),
    runnerTemp: nonEmpty('RUNNER_TEMP') ?? platform.tmpdir,
    workspace: nonEmpty('GITHUB_WORKSPACE'),
    os: platform.os,
    arch: platform.arch,
    idTokenRequest: readIdTokenRequest(
      nonEmpty('ACTIONS_ID_TOKEN_REQUEST_URL'),
      nonEmpty('ACTIONS_ID_TOKEN_REQUEST_TOKEN'),
    ),
    ambientRegion: nonEmpty('AWS_REGION') ?? nonEmpty('AWS_DEFAULT_REGION'),
    env,
  }
}

function readIdTokenRequest(url: string | undefined, bearer: string | undefined): IdTokenRequest | undefined {
  return url === undefined || bearer === undefined ? undefined : { url, bearer }
}
