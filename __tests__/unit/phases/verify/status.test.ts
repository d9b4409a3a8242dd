import { publishRun } from '../../../../src/action/publish.js'
import type { RunReport } from '../../../../src/action/results.js'
import { verifiedStatus } from '../../../../src/phases/verify/report.js'
import type { VerifyResult } from '../../../../src/phases/verify/types.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'

const BUILD = {
  method: 'attestation',
  digest: `sha256:${'a'.repeat(64)}`,
  signerWorkflow: 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main',
  repository: 'octo-org/api',
  commit: 'c0ffee0000000000000000000000000000c0ffee',
  ref: 'refs/heads/main',
  run: undefined,
} as const
const SIGNATURE = { method: 'cosign', signer: 'key SHA256:abc', where: 'the .sig tag' } as const

test('the Deployment status names the build workflow and commit an attestation proves, and a cosign signature', () => {
  expect(verifiedStatus({ build: BUILD, signature: undefined })).toBe(
    'image attested by build.yml at c0ffee0',
  )
  expect(verifiedStatus({ build: undefined, signature: SIGNATURE })).toBe('image signed (cosign)')
  expect(verifiedStatus({ build: { ...BUILD, commit: undefined }, signature: SIGNATURE })).toBe(
    'image attested by build.yml, image signed (cosign)',
  )
  expect(verifiedStatus({ build: undefined, signature: undefined })).toBeUndefined()
  expect(verifiedStatus(undefined)).toBeUndefined()
})

test('publishRun gives the GitHub Deployment the verification before the outcome', async () => {
  const finished: (string | undefined)[][] = []
  const github = {
    finish: (failure: string | undefined, checks?: string) => {
      finished.push([failure, checks])
      return Promise.resolve({ deployment: undefined })
    },
    comment: () => Promise.resolve(),
    checkRun: () => Promise.resolve(),
  }
  const verify: VerifyResult = { build: BUILD, signature: undefined }
  const report = { results: { verify }, spans: [], failure: undefined } as unknown as RunReport
  await publishRun(report, { runtime: new FakeRuntime(), accounts: { hide: (text) => text }, github })
  expect(finished).toEqual([[undefined, 'image attested by build.yml at c0ffee0']])
})
