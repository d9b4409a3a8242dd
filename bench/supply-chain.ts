// `BENCH_ONLY=supply-chain`: what verify-image: attestation adds to a step, as whole processes of the
// bundled action: the ECR login and image check alone, against the same with the image's GitHub
// artifact attestation verified (moto for ECR, the GitHub API stand-in serving a real Sigstore bundle
// signed through @sigstore/mock's Fulcio and Rekor, the stand-in's trusted_root.json given as
// trusted-root). Interleaved rounds, medians; the verification's own span from the job summary.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr'
import { makeRunnerFiles, runAction } from '../__tests__/fixtures/action-runner.js'
import { putImage } from '../__tests__/fixtures/ecr-images.js'
import { startGitHubApi } from '../__tests__/fixtures/github-api.js'
import { startMoto } from '../__tests__/fixtures/moto.js'
import { startSigstore, type BuildClaims } from '../__tests__/fixtures/sigstore-stand-in.js'
import { formatMs, summarize, type Summary } from './stats.js'

const REGION = 'eu-west-1'
const REPO = 'octo-org/octo-repo'
const TOKEN = 'ghs_benchStandInToken0123456789'
const BUILD: BuildClaims = {
  repository: REPO,
  jobWorkflowRef: `${REPO}/.github/workflows/build.yml@refs/heads/main`,
  ref: 'refs/heads/main',
  sha: 'c0ffee0000000000000000000000000000c0ffee',
  runId: '9001',
}

interface Variant {
  readonly label: string
  readonly inputs: Readonly<Record<string, string>>
}

export interface SupplyChainResults {
  readonly runs: number
  readonly rows: readonly {
    readonly label: string
    readonly wall?: Summary
    readonly span?: Summary
    readonly failed?: string
  }[]
}

export async function measureSupplyChain(log: (message: string) => void): Promise<SupplyChainResults> {
  const runs = Number(process.env.BENCH_SUPPLY_RUNS ?? '7')
  const [moto, github, sigstore] = await Promise.all([
    startMoto(),
    startGitHubApi({ token: TOKEN, repository: REPO }),
    startSigstore(),
  ])
  const admin = new ECRClient({
    region: REGION,
    endpoint: moto.url,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  })
  try {
    const name = 'bench/api'
    await admin.send(new CreateRepositoryCommand({ repositoryName: name }))
    const digest = await putImage(admin, name, 'v1')
    const subject = `123456789012.dkr.ecr.${REGION}.amazonaws.com/${name}`
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: subject, digest: { sha256: digest.replace(/^sha256:/, '') } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } },
    }
    github.attestations.set(digest, [await sigstore.sign(statement, BUILD)])
    const base = { 'ecr-repository': name, 'image-tag': 'v1', 'require-image': 'true', 'aws-region': REGION }
    const variants: Variant[] = [
      { label: 'ECR login and image check', inputs: base },
      {
        label: '… and verify-image: attestation (signer workflow, source ref)',
        inputs: {
          ...base,
          'verify-image': 'attestation',
          'verify-signer-workflow': `${REPO}/.github/workflows/build.yml`,
          'verify-source-ref': 'refs/heads/main',
          'trusted-root': 'trusted_root.json',
          'github-token': TOKEN,
        },
      },
    ]
    const samples = variants.map(() => ({
      wall: [] as number[],
      span: [] as number[],
      failed: undefined as string | undefined,
    }))
    for (let round = 0; round <= runs; round++) {
      for (const [i, variant] of variants.entries()) {
        const files = await makeRunnerFiles()
        await fs.writeFile(path.join(files.dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot))
        const run = await runAction({
          files,
          inputs: variant.inputs,
          env: {
            AWS_ACCESS_KEY_ID: 'AKIAMOTOTESTING00001',
            AWS_SECRET_ACCESS_KEY: 'moto-testing-secret',
            AWS_ENDPOINT_URL_ECR: moto.url,
            GITHUB_API_URL: github.url,
          },
        })
        await files.cleanup()
        const sample = samples[i]
        if (sample === undefined) continue
        if (run.exitCode !== 0)
          sample.failed = `exit ${run.exitCode}: ${/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''}`
        // Round 0 warms the machine's caches and is not counted.
        if (round === 0 || run.exitCode !== 0) continue
        sample.wall.push(run.durationMs)
        const span = /^\| verify(?:-image)? \| \+[\d.]+ s \| ([\d.]+) s \|/m.exec(run.summary)?.[1]
        if (span !== undefined) sample.span.push(Number(span) * 1000)
      }
      if (round > 0) log(`supply chain round ${round}/${runs} done`)
    }
    return {
      runs,
      rows: variants.map((variant, i) => {
        const sample = samples[i]
        const wall = summarize(sample?.wall ?? [])
        const span = summarize(sample?.span ?? [])
        return {
          label: variant.label,
          ...(wall === undefined ? {} : { wall }),
          ...(span === undefined ? {} : { span }),
          ...(sample?.failed === undefined ? {} : { failed: sample.failed }),
        }
      }),
    }
  } finally {
    admin.destroy()
    await Promise.all([moto.stop(), github.stop(), sigstore.stop()])
  }
}

export function supplyChainSection(results: SupplyChainResults): string[] {
  const cell = (s: Summary | undefined) =>
    s === undefined ? '-' : `${formatMs(s.medianMs)} (${formatMs(s.minMs)}–${formatMs(s.maxMs)})`
  const [plain, verified] = results.rows
  const added =
    plain?.wall === undefined || verified?.wall === undefined
      ? '-'
      : formatMs(verified.wall.medianMs - plain.wall.medianMs)
  return [
    '## verify-image: attestation, bundled action, moto and the GitHub API and Sigstore stand-ins',
    '',
    '| Step | whole step, median (min–max) | verify-image span | failed |',
    '| --- | --: | --: | --- |',
    ...results.rows.map(
      (row) => `| ${row.label} | ${cell(row.wall)} | ${cell(row.span)} | ${row.failed ?? ''} |`,
    ),
    '',
    `Added by the verification to the step: ${added} (medians of ${results.runs} interleaved rounds after one`,
    'uncounted round). On a deploy the verification runs beside the kubeconfig phase, before helm.',
    '',
  ]
}
