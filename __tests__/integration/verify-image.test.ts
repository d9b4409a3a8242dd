import { promises as fs } from 'node:fs'
import path from 'node:path'
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr'
import { makeRunnerFiles, runAction, type ActionRun, type RunnerFiles } from '../fixtures/action-runner.js'
import { putImage } from '../fixtures/ecr-images.js'
import { startGitHubApi, type GitHubApiStandIn } from '../fixtures/github-api.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startSigstore, type BuildClaims, type SigstoreStandIn } from '../fixtures/sigstore-stand-in.js'

const REGION = 'eu-west-1'
const REGISTRY = `123456789012.dkr.ecr.${REGION}.amazonaws.com`
const TOKEN = 'ghs_verifyStandInToken0123456789'
/** GITHUB_REPOSITORY of the runner fixture: the default verify-repository. */
const REPO = 'octo-org/octo-repo'
const COMMIT = 'c0ffee0000000000000000000000000000c0ffee'
const BUILD: BuildClaims = {
  repository: REPO,
  jobWorkflowRef: `${REPO}/.github/workflows/build.yml@refs/heads/main`,
  ref: 'refs/heads/main',
  sha: COMMIT,
  runId: '9001',
}
const SLSA = 'https://slsa.dev/provenance/v1'

/** The in-toto statement actions/attest-build-provenance makes for a pushed image. */
function provenance(name: string, digest: string, predicateType = SLSA): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType,
    predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } },
  }
}

// verify-image: attestation, bundled, against moto (ECR resolves the digest), a GitHub API stand-in
// serving the attestations and @sigstore/mock's Fulcio, CT log and Rekor: real bundles made by the
// Sigstore signing library, verified by the action with the stand-in's trusted_root.json. Every
// refusal happens before any deploy would start.
describeWithMoto('verify-image: attestation, bundled action against moto and a GitHub API stand-in', () => {
  let moto: MotoServer
  let github: GitHubApiStandIn
  let sigstore: SigstoreStandIn
  let untrusted: SigstoreStandIn
  let admin: ECRClient
  let files: RunnerFiles & { cleanup(): Promise<void> }
  let count = 0

  beforeAll(async () => {
    ;[moto, github, sigstore, untrusted] = await Promise.all([
      startMoto(),
      startGitHubApi({ token: TOKEN, repository: REPO }),
      startSigstore(),
      startSigstore(),
    ])
    admin = new ECRClient({
      region: REGION,
      endpoint: moto.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    })
  })
  afterAll(async () => {
    admin.destroy()
    await Promise.all([moto.stop(), github.stop(), sigstore.stop(), untrusted.stop()])
  })
  beforeEach(async () => {
    files = await makeRunnerFiles()
    await fs.writeFile(path.join(files.dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot))
  })
  afterEach(async () => {
    await files.cleanup()
  })

  /** A new repository with one pushed image: its name and digest. */
  async function pushImage(): Promise<{ name: string; digest: string }> {
    const name = `verify/api-${++count}`
    await admin.send(new CreateRepositoryCommand({ repositoryName: name }))
    return { name, digest: await putImage(admin, name, 'v1') }
  }

  async function attest(digest: string, bundles: Promise<unknown>[]): Promise<void> {
    github.attestations.set(digest, await Promise.all(bundles))
  }

  const run = (repository: string, inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({
      files,
      inputs: {
        'ecr-repository': repository,
        'image-tag': 'v1',
        'require-image': 'true',
        'aws-region': REGION,
        'verify-image': 'attestation',
        'trusted-root': 'trusted_root.json',
        'github-token': TOKEN,
        ...inputs,
      },
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAMOTOTESTING00001',
        AWS_SECRET_ACCESS_KEY: 'moto-testing-secret',
        AWS_ENDPOINT_URL_ECR: moto.url,
        GITHUB_API_URL: github.url,
      },
    })

  /** The step's error as the log shows it (the ::error:: command's text, unescaped). */
  const errorOf = (result: ActionRun): string =>
    (/^::error::(.*)$/m.exec(result.stdout)?.[1] ?? '').replace(/%0A/g, '\n').replace(/%25/g, '%')

  test('an image attested by this repository’s workflow passes: output image-verified and the summary', async () => {
    const { name, digest } = await pushImage()
    await attest(digest, [sigstore.sign(provenance(`${REGISTRY}/${name}`, digest), BUILD)])
    const result = await run(name, {
      'verify-signer-workflow': `${REPO}/.github/workflows/build.yml`,
      'verify-source-ref': 'refs/heads/main',
    })
    expect(errorOf(result)).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.outputs['image-digest']).toBe(digest)
    expect(result.outputs['image-verified']).toBe(
      `attestation: built by https://github.com/${BUILD.jobWorkflowRef} from ${REPO} at ${COMMIT}`,
    )
    expect(result.summary).toContain('| Image verified |')
    expect(result.summary).toContain(COMMIT)
    expect(result.stdout).toContain(`Verified: SLSA build provenance of ${digest}`)
    // The attestations were read for the digest, with the token.
    expect(github.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: `/api/v3/repos/${REPO}/attestations/${digest.replace(':', '%3A')}?per_page=100`,
      authorization: `token ${TOKEN}`,
    })
  })

  test.each([
    {
      name: 'another repository built it',
      claims: {
        ...BUILD,
        repository: 'mallory/fork',
        jobWorkflowRef: 'mallory/fork/.github/workflows/build.yml@refs/heads/main',
      },
      inputs: {},
      says: [
        `source repository: expected https://github.com/${REPO}, found https://github.com/mallory/fork`,
        `signer workflow: expected a workflow of https://github.com/${REPO}/, found https://github.com/mallory/fork/.github/workflows/build.yml@refs/heads/main`,
      ],
    },
    {
      name: 'another workflow signed it',
      claims: { ...BUILD, jobWorkflowRef: `${REPO}/.github/workflows/adhoc.yml@refs/heads/main` },
      inputs: { 'verify-signer-workflow': `${REPO}/.github/workflows/build.yml` },
      says: [
        `signer workflow: expected https://github.com/${REPO}/.github/workflows/build.yml at any ref, found https://github.com/${REPO}/.github/workflows/adhoc.yml@refs/heads/main`,
      ],
    },
    {
      name: 'it was built from another ref',
      claims: { ...BUILD, ref: 'refs/heads/feature' },
      inputs: { 'verify-source-ref': 'refs/heads/main' },
      says: ['source ref: expected refs/heads/main, found refs/heads/feature'],
    },
  ])(
    'refused when $name: expected and found, and the policy inputs to change',
    async ({ claims, inputs, says }) => {
      const { name, digest } = await pushImage()
      await attest(digest, [sigstore.sign(provenance(`${REGISTRY}/${name}`, digest), claims)])
      const result = await run(name, inputs)
      expect(result.exitCode).toBe(1)
      const error = errorOf(result)
      expect(error).toContain(
        `Refused to deploy ${REGISTRY}/${name}@${digest}: its attestation does not pass`,
      )
      for (const line of says) expect(error).toContain(line)
      expect(error).toContain('Failed in phase verify.')
      expect(result.outputs['image-verified']).toBeUndefined()
    },
  )

  test('refused when the attestation is of another digest', async () => {
    const { name, digest } = await pushImage()
    const other = `sha256:${'e'.repeat(64)}`
    // Stored under the deployed digest, as a confused or hostile API could answer.
    await attest(digest, [sigstore.sign(provenance(`${REGISTRY}/${name}`, other), BUILD)])
    const error = errorOf(await run(name))
    expect(error).toContain(`subject digest: expected ${digest}, found ${other}`)
  })

  test('refused when the envelope was tampered with: the signature does not verify', async () => {
    const { name, digest } = await pushImage()
    const bundle = (await sigstore.sign(provenance(`${REGISTRY}/${name}`, digest), BUILD)) as {
      dsseEnvelope: { payload: string }
    }
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      predicate: unknown
    }
    statement.predicate = { buildDefinition: { buildType: 'https://evil.example/any' } }
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64')
    github.attestations.set(digest, [bundle])
    const error = errorOf(await run(name))
    expect(error).toContain('attestation 1: its signature does not verify')
    expect(error).toContain('signed by a Sigstore instance this step does not trust')
  })

  test('refused when an untrusted Sigstore instance signed it', async () => {
    const { name, digest } = await pushImage()
    await attest(digest, [untrusted.sign(provenance(`${REGISTRY}/${name}`, digest), BUILD)])
    const error = errorOf(await run(name))
    expect(error).toMatch(/attestation 1: its signature does not verify: \S+/)
    expect(error).toContain('gh attestation trusted-root')
  })

  test('refused when the digest has no attestation: the attest-build-provenance step to add', async () => {
    const { name, digest } = await pushImage()
    const result = await run(name)
    expect(result.exitCode).toBe(1)
    const error = errorOf(result)
    expect(error).toContain(
      `Refused to deploy ${REGISTRY}/${name}@${digest}: ${REPO} has no attestation of this digest`,
    )
    expect(error).toContain('uses: actions/attest-build-provenance@')
    expect(error).toContain(`subject-name: ${REGISTRY}/${name}`)
  })

  test('one good attestation among refused ones is enough; a wrong predicate type is named', async () => {
    const { name, digest } = await pushImage()
    await attest(digest, [
      sigstore.sign(provenance(`${REGISTRY}/${name}`, digest, 'https://spdx.dev/Document/v2.3'), BUILD),
      sigstore.sign(provenance(`${REGISTRY}/${name}`, digest), BUILD),
    ])
    expect((await run(name)).outputs['image-verified']).toContain('attestation: built by')
    await attest(digest, [
      sigstore.sign(provenance(`${REGISTRY}/${name}`, digest, 'https://spdx.dev/Document/v2.3'), BUILD),
    ])
    expect(errorOf(await run(name))).toContain(
      `predicate type: expected ${SLSA}, found https://spdx.dev/Document/v2.3`,
    )
  })

  test('verify-repository owner/*: the organization endpoint, a build of any repository of the owner passes', async () => {
    const { name, digest } = await pushImage()
    const images = 'octo-org/images'
    const other: BuildClaims = {
      ...BUILD,
      repository: images,
      jobWorkflowRef: `${images}/.github/workflows/build.yml@refs/heads/main`,
    }
    await attest(digest, [sigstore.sign(provenance(`${REGISTRY}/${name}`, digest), other)])
    const result = await run(name, { 'verify-repository': 'octo-org/*' })
    expect(errorOf(result)).toBe('')
    expect(result.outputs['image-verified']).toBe(
      `attestation: built by https://github.com/${other.jobWorkflowRef} from ${images} at ${COMMIT}`,
    )
    expect(github.requests.at(-1)?.path).toBe(
      `/api/v3/orgs/octo-org/attestations/${digest.replace(':', '%3A')}?per_page=100`,
    )
  })

  test('an attestation listed with only its bundle_url: the snappy-compressed bundle fetched without the token', async () => {
    const { name, digest } = await pushImage()
    await attest(digest, [sigstore.sign(provenance(`${REGISTRY}/${name}`, digest), BUILD)])
    github.linkedBundles.add(digest)
    const result = await run(name)
    expect(errorOf(result)).toBe('')
    expect(result.outputs['image-verified']).toContain(`from ${REPO} at ${COMMIT}`)
    const fetched = github.requests.filter((request) => request.path.startsWith('/bundles/'))
    expect(fetched).toEqual([expect.objectContaining({ method: 'GET', authorization: undefined })])
  })
})
