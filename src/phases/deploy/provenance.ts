import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { ChartRef } from '../../inputs/types.js'
import { ActionError } from '../../lib/errors.js'
import { printable } from '../../lib/printable.js'
import { writePrivateFile } from '../../lib/private-file.js'
import { queryHelm, type HelmCli } from '../../helm/cli.js'
import { lastHelmError } from '../../helm/failure.js'
import { SIGN_HINT, type ChartKeyring } from './plan-keyring.js'

/** What helm's check of the chart's .prov showed: the signer of the keyring and the chart's hash. */
export interface ChartProvenance {
  readonly chart: string
  /** The key's user ID, as the keyring names it. */
  readonly signedBy: string
  readonly fingerprint: string
  /** sha256:<hex> of the packaged chart, as the .prov signs it. */
  readonly hash: string
}

/** The keyring helm reads (binary), written 0600 into the step's own helm directory. */
export async function writeKeyring(helmDir: string, keyring: ChartKeyring): Promise<string> {
  const file = path.join(helmDir, 'chart-keyring.gpg')
  await writePrivateFile(file, keyring.bytes)
  return file
}

/**
 * helm's own check of the chart's provenance, before anything is written (the release lock, the
 * namespace, helm's upgrade): `helm verify` for a local .tgz, else `helm pull --verify` (which fetches
 * the chart and <chart URL>.prov). helm upgrade verifies again with the same keyring.
 */
export async function verifyChart(
  helm: HelmCli,
  target: { readonly chart: ChartRef; readonly chartVersion: string | undefined; readonly dir: string },
  keyring: ChartKeyring & { readonly file: string },
): Promise<ChartProvenance | ActionError> {
  const { chart, chartVersion } = target
  const version = chartVersion === undefined ? [] : ['--version', chartVersion]
  const args = isLocalPackage(chart)
    ? ['verify', chart.path, '--keyring', keyring.file]
    : [
        'pull',
        ...(chart.kind === 'repo' ? [chart.name, '--repo', chart.repository] : [chartName(chart)]),
        ...version,
        '--verify',
        '--keyring',
        keyring.file,
        '--destination',
        path.join(target.dir, 'verified-chart'),
      ]
  const shown = describeChart(chart, chartVersion)
  // helm pull writes into an existing directory only.
  if (!isLocalPackage(chart)) await fs.mkdir(path.join(target.dir, 'verified-chart'), { recursive: true })
  const result = await queryHelm(helm, args)
  if (result.exitCode !== 0) return refusal(result.stderr, shown, keyring, helm.version.major)
  const field = (name: string): string =>
    new RegExp(`^${name}: (.*)$`, 'm').exec(result.stdout)?.[1]?.trim() ?? ''
  return {
    chart: shown,
    signedBy: field('Signed by'),
    fingerprint: field('Using Key With Fingerprint'),
    hash: field('Chart Hash Verified'),
  }
}

const isLocalPackage = (chart: ChartRef): chart is { kind: 'path'; path: string } =>
  chart.kind === 'path' && /\.tgz$/.test(chart.path)

const chartName = (chart: ChartRef): string =>
  chart.kind === 'oci' ? chart.ref : chart.kind === 'repo' ? chart.name : chart.path

/** The chart as a refusal names it: `demo 0.1.0 from https://charts.example.com`. */
function describeChart(chart: ChartRef, version: string | undefined): string {
  const name = printable(chartName(chart), 200)
  const at = version === undefined ? '' : ` ${printable(version, 60)}`
  return chart.kind === 'repo' ? `${name}${at} from ${printable(chart.repository, 200)}` : `${name}${at}`
}

// OpenPGP public-key algorithms (RFC 9580 9.1) a refusal names.
const ALGORITHMS: Readonly<Record<number, string>> = {
  1: 'RSA',
  17: 'DSA',
  19: 'ECDSA',
  22: 'EdDSA',
  27: 'Ed25519',
}

/** Why helm refused the chart's provenance, in words a user can act on (helm 3.17 and 4.1's messages). */
export function refusal(
  stderr: string,
  chart: string,
  keyring: ChartKeyring,
  helmMajor: number,
): ActionError {
  const said = printable(lastHelmError(stderr), 300)
  const keys = keyring.keys
    .map((key) => `${key.fingerprint}${key.userId === '' ? '' : ` ${printable(key.userId, 100)}`}`)
    .join(', ')
  const fail = (why: string, hint: string): ActionError =>
    new ActionError(
      `The chart ${chart} failed helm's provenance check (chart-keyring: ${keyring.source}), before anything was deployed: ${why} (helm: ${said})`,
      { hint },
    )
  const unsupported = /unsupported feature: public key (?:type|algorithm):? (\d+)/.exec(stderr)
  if (unsupported !== null) {
    const number = Number(unsupported[1])
    return fail(
      `helm ${helmMajor} cannot read a key of chart-keyring (OpenPGP algorithm ${number}, ${ALGORITHMS[number] ?? 'unknown'}).`,
      'Helm 3 reads RSA and DSA keys only: sign with an RSA key (gpg --quick-generate-key <name> rsa3072 sign), or use Helm 4 (helm-version: v4.1.4), which reads EdDSA keys too.',
    )
  }
  if (/failed to fetch provenance|could not load provenance file|no such file or directory/.test(stderr))
    return fail(
      'it has no provenance file (.prov): it was not signed, or its .prov was not published beside it.',
      SIGN_HINT,
    )
  if (/signature made by unknown entity/.test(stderr))
    return fail(
      `its .prov is signed by a key that is not in chart-keyring (which holds ${keys}).`,
      `Give chart-keyring the public key the chart is signed with (gpg --list-packets <chart>.tgz.prov names its key ID), or sign the chart again with a key of chart-keyring. ${SIGN_HINT}`,
    )
  if (/sha256 sum does not match|digest does not match/.test(stderr))
    return fail(
      'the chart is not the one its .prov signs (its SHA-256 differs): it was changed after it was signed, or the .prov belongs to another package.',
      `Publish the .tgz and the .prov that helm package --sign wrote together. ${SIGN_HINT}`,
    )
  return fail(
    'its signature did not verify.',
    `Check that the .prov was not changed after signing and that chart-keyring holds the signing key (${keys}). ${SIGN_HINT}`,
  )
}
