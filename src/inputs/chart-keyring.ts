import { dearmorKeyring, isArmored, KeyringProblem } from '../helm/keyring.js'
import type { InputProblems } from './problems.js'
import type { ChartKeyringInput, ChartRef } from './types.js'

/**
 * chart-keyring: an armored public key block given inline (checked here), or the path of a keyring
 * file (read by the plan, before any AWS call). Only a chart helm downloads from a repository or a
 * packaged .tgz has a .prov for helm --verify; an oci:// chart and plain manifests have none.
 */
export function readChartKeyring(
  p: InputProblems,
  chart: ChartRef | undefined,
): ChartKeyringInput | undefined {
  const value = p.multiline('chart-keyring')
  if (value === undefined) return undefined
  if (chart?.kind === 'oci') {
    p.add(
      'chart-keyring',
      value.split(/\r?\n/)[0] ?? '',
      "verifies the .prov file of a chart repository's chart or a packaged .tgz (helm --verify); an oci:// chart has none here: remove chart-keyring, or deploy the chart from a chart repository (chart-repository) or as a signed .tgz.",
    )
    return undefined
  }
  if (chart === undefined) {
    p.add(
      'chart-keyring',
      value.split(/\r?\n/)[0] ?? '',
      'verifies a chart (helm --verify): it needs chart (plain manifests are made into a chart by the action, unsigned).',
    )
    return undefined
  }
  if (!isArmored(value)) {
    if (/[\r\n]/.test(value)) {
      p.add(
        'chart-keyring',
        value,
        'must be the path of a keyring file (gpg --export <key id> > chart-keyring.gpg) or an armored public key block (-----BEGIN PGP PUBLIC KEY BLOCK-----).',
      )
      return undefined
    }
    return { kind: 'file', path: value }
  }
  try {
    dearmorKeyring(value)
  } catch (error) {
    if (!(error instanceof KeyringProblem)) throw error
    p.add('chart-keyring', value.split(/\r?\n/)[0] ?? '', error.message)
    return undefined
  }
  return { kind: 'armored', text: value }
}
