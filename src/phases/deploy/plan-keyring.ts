import path from 'node:path'
import type { ChartRef, Inputs } from '../../inputs/types.js'
import { ActionError } from '../../lib/errors.js'
import { printable } from '../../lib/printable.js'
import { workspaceNote } from '../../lib/workspace-note.js'
import type { PlanFiles } from '../../runner/plan-files.js'
import { dearmorKeyring, KeyringProblem, readKeyring, type Keyring } from '../../helm/keyring.js'

/** chart-keyring as helm reads it, and where it came from (for the log and a refusal). */
export interface ChartKeyring extends Keyring {
  /** `the file keys/charts.asc`, or `the key block given inline`. */
  readonly source: string
}

/** How a chart is signed, for every refusal that asks for a signed one. */
export const SIGN_HINT =
  "Sign the chart when it is packaged: helm package --sign --key '<key name>' --keyring <secret keyring> <chart directory> writes <chart>-<version>.tgz.prov beside the .tgz; publish both (helm repo index lists the .tgz, helm fetches the .prov from the same URL + .prov), and give chart-keyring the public key (gpg --export <key id>)."

/**
 * chart-keyring read and converted to the binary keyring helm needs, and the chart checked for what
 * helm --verify needs: a packaged chart (helm refuses a directory) with its .prov beside it. Before
 * any AWS call, as the other paths of the plan.
 */
export async function loadChartKeyring(inputs: Inputs, files: PlanFiles): Promise<ChartKeyring | undefined> {
  const { chartKeyring, chart } = inputs.deploy
  if (chartKeyring === undefined || chart === undefined) return undefined
  const base = path.resolve(inputs.context.workspace ?? '')
  const note = workspaceNote(inputs.context.workspace, base)
  const keyring =
    chartKeyring.kind === 'armored'
      ? {
          ...converted(() => dearmorKeyring(chartKeyring.text), 'the key block given inline'),
          source: 'the key block given inline',
        }
      : await keyringFile(chartKeyring.path, base, note, files)
  await checkPackaged(chart, base, note, files)
  return keyring
}

async function keyringFile(
  file: string,
  base: string,
  note: string,
  files: PlanFiles,
): Promise<ChartKeyring> {
  const shown = `'${printable(file, 200)}'`
  const full = path.resolve(base, file)
  const kind = await files.kind(full)
  const bytes = kind === 'file' ? await files.readBytes(full) : undefined
  if (bytes === undefined)
    throw new ActionError(
      `Input 'chart-keyring': ${shown} ${kind === 'directory' ? 'is a directory, not a keyring file' : 'does not exist'} ${note}.`,
      {
        hint: 'Give the path of the public keyring (gpg --export <key id> > chart-keyring.gpg, committed or written by an earlier step), or the armored key block itself (gpg --export --armor <key id>), e.g. from a repository variable.',
      },
    )
  const source = `the file ${printable(file, 200)}`
  return { ...converted(() => readKeyring(bytes), shown), source }
}

function converted(read: () => Keyring, shown: string): Keyring {
  try {
    const keyring = read()
    if (keyring.keys.length > 0) return keyring
  } catch (error) {
    if (!(error instanceof KeyringProblem)) throw error
    throw new ActionError(`Input 'chart-keyring': ${shown} ${error.message}`, {
      hint: 'chart-keyring takes the public key(s) the chart was signed with: gpg --export <key id> > chart-keyring.gpg (binary) or gpg --export --armor <key id> (text).',
    })
  }
  throw new ActionError(`Input 'chart-keyring': ${shown} holds no public key.`, {
    hint: 'Export the public key the chart is signed with: gpg --export <key id> > chart-keyring.gpg.',
  })
}

/**
 * helm verifies only a packaged chart ("unpacked charts cannot be verified"), against the .prov beside
 * it. A chart that is no local path is downloaded with its .prov (helm fetches <url>.prov).
 */
async function checkPackaged(chart: ChartRef, base: string, note: string, files: PlanFiles): Promise<void> {
  if (chart.kind !== 'path') return
  const full = path.resolve(base, chart.path)
  const kind = await files.kind(full)
  const shown = `'${printable(chart.path, 200)}'`
  if (kind === 'directory')
    throw new ActionError(
      `Input 'chart': ${shown} is a chart directory, and helm verifies only a packaged, signed chart (chart-keyring is set).`,
      { hint: `${SIGN_HINT} Then give chart the .tgz (its .prov beside it).` },
    )
  if (kind === 'file' && (await files.kind(`${full}.prov`)) !== 'file')
    throw new ActionError(
      `Input 'chart': ${shown} has no provenance file ${printable(`${chart.path}.prov`, 200)} beside it, so helm cannot verify it with chart-keyring ${note}.`,
      { hint: SIGN_HINT },
    )
}
