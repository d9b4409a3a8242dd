import { promises as fs } from 'node:fs'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { getTrustedRoot } from '@sigstore/tuf'
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify'
import { ActionError, messageOf } from '../../lib/errors.js'
import type { Thresholds } from './bundle.js'
import type { TrustSource } from './types.js'

/** One Sigstore instance the action trusts, and what a bundle must show to pass it. */
export interface TrustedInstance {
  readonly material: TrustMaterial
  readonly thresholds: Thresholds
  /** Its Fulcio's URI, for the log and a refusal (public good, GitHub's, a custom one). */
  readonly name: string
}

/**
 * The Sigstore instances to verify with: each root of a trusted-root file (`gh attestation
 * trusted-root` prints one per line), or Sigstore's public-good root through TUF (@sigstore/tuf, whose
 * embedded root and cache under the runner's tool cache keep later jobs on the runner off the network
 * until TUF's own expiry says otherwise).
 */
export async function loadTrust(source: TrustSource): Promise<readonly TrustedInstance[]> {
  const roots =
    source.kind === 'file' ? await readRootFile(source.path) : [await publicGoodRoot(source.cachePath)]
  return roots.map(toInstance)
}

async function readRootFile(file: string): Promise<TrustedRoot[]> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    throw new ActionError(`Could not read trusted-root ${file}: ${messageOf(error)}`, {
      hint: 'Give the path of a Sigstore trusted_root.json in the workspace, e.g. from `gh attestation trusted-root > trusted_root.jsonl` in an earlier step.',
    })
  }
  try {
    const whole = text.trim()
    const documents = whole.startsWith('{') && !whole.includes('\n{') ? [whole] : whole.split(/\r?\n/)
    return documents
      .filter((line) => line.trim() !== '')
      .map((line) => TrustedRoot.fromJSON(JSON.parse(line)))
  } catch (error) {
    throw new ActionError(`trusted-root ${file} is not a Sigstore trusted root: ${messageOf(error)}`, {
      hint: 'The file must hold trusted_root.json (application/vnd.dev.sigstore.trustedroot+json), or one such JSON per line as `gh attestation trusted-root` prints.',
    })
  }
}

async function publicGoodRoot(cachePath: string): Promise<TrustedRoot> {
  try {
    // forceCache: metadata cached by an earlier job is used until it expires (TUF's rule), without a request.
    return await getTrustedRoot({ cachePath, forceCache: true })
  } catch (error) {
    throw new ActionError(
      `Could not load Sigstore's public-good trusted root through TUF: ${messageOf(error)}`,
      {
        hint: 'The runner must reach tuf-repo-cdn.sigstore.dev once (the root is then cached in the tool cache); an air-gapped runner gives `trusted-root:` a file instead.',
      },
    )
  }
}

/**
 * As `gh attestation verify` does: an instance with transparency logs requires one log entry (and an
 * SCT when it has CT logs); one without (GitHub's) requires a signed timestamp instead.
 */
function toInstance(root: TrustedRoot): TrustedInstance {
  const hasTlogs = root.tlogs.length > 0
  return {
    material: toTrustMaterial(root),
    thresholds: {
      tlogThreshold: hasTlogs ? 1 : 0,
      ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0,
      timestampThreshold: 1,
    },
    name: root.certificateAuthorities[0]?.uri ?? 'a custom Sigstore instance',
  }
}
