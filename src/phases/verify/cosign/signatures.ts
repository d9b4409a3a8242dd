import type { Descriptor, Manifest, RegistryReader } from '../../../lib/oci-registry.js'

// Where cosign stores an image's signatures, read as cosign reads them:
// - cosign v2 and older: the tag `sha256-<hex>.sig`, an image manifest whose layers are simple-signing
//   payloads, each with its signature and verification material in annotations
//   (https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md);
// - cosign v3: a Sigstore bundle (DSSE, in-toto statement of predicate sign/v1) in an artifact whose
//   subject is the image, listed by the referrers API, or where a registry has none (404) by the
//   referrers tag schema `sha256-<hex>` (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md).

const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json'

const BUNDLE_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(\.v0\.\d+)?\+json/
const ANNOTATIONS = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
} as const
// A digest with more signatures than this is not worth reading to the end: the first that passes wins.
const MAX_CANDIDATES = 20

/** One signature found for the digest: where, and what to verify. */
export type CosignCandidate =
  | {
      readonly kind: 'simple-signing'
      /** `tag sha256-<hex>.sig, layer 1`. */
      readonly where: string
      readonly payload: Buffer
      /** base64 of the signature over the payload. */
      readonly signature: string
      /** PEM of the keyless signing certificate, and of its chain. */
      readonly certificate: string | undefined
      readonly chain: string | undefined
      /** The Rekor entry cosign kept (its signed entry timestamp), as JSON text. */
      readonly rekorBundle: string | undefined
    }
  | { readonly kind: 'bundle'; readonly where: string; readonly bundle: unknown }

/** Where signatures were looked for, for a refusal that finds none. */
export interface Lookup {
  readonly candidates: readonly CosignCandidate[]
  /** `the tag sha256-<hex>.sig`, `the referrers API` or `the referrers tag sha256-<hex>`. */
  readonly searched: readonly string[]
}

/** Every cosign signature of `digest` in the repository: the .sig tag and the referrers, read side by side. */
export async function findSignatures(registry: RegistryReader, digest: string): Promise<Lookup> {
  const tag = digest.replace(':', '-')
  const [legacy, referred] = await Promise.all([
    registry.manifest(`${tag}.sig`),
    registry
      .referrers(digest)
      .then(async (index) =>
        index === undefined
          ? { index: await registry.manifest(tag), searched: `the referrers tag ${tag} (no referrers API)` }
          : { index, searched: 'the referrers API' },
      ),
  ])
  const candidates = [
    ...(legacy === undefined ? [] : await simpleSignings(registry, legacy, `tag ${tag}.sig`)),
    ...(referred.index === undefined ? [] : await bundles(registry, referred.index)),
  ]
  return {
    candidates: candidates.slice(0, MAX_CANDIDATES),
    searched: [`the tag ${tag}.sig`, referred.searched],
  }
}

async function simpleSignings(
  registry: RegistryReader,
  manifest: Manifest,
  where: string,
): Promise<CosignCandidate[]> {
  const layers = (manifest.layers ?? []).filter(
    (layer) => layer.mediaType === SIMPLE_SIGNING && layer.digest !== undefined,
  )
  return Promise.all(
    layers.slice(0, MAX_CANDIDATES).map(async (layer, index) => {
      const notes = layer.annotations ?? {}
      return {
        kind: 'simple-signing' as const,
        where: `${where}, layer ${index + 1}`,
        payload: await registry.blob(layer.digest ?? ''),
        signature: notes[ANNOTATIONS.signature] ?? '',
        certificate: nonEmpty(notes[ANNOTATIONS.certificate]),
        chain: nonEmpty(notes[ANNOTATIONS.chain]),
        rekorBundle: nonEmpty(notes[ANNOTATIONS.bundle]),
      }
    }),
  )
}

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value)

/** The Sigstore bundles an index of referrers lists (an index that is an image manifest lists none). */
async function bundles(registry: RegistryReader, index: Manifest): Promise<CosignCandidate[]> {
  const listed = (index.manifests ?? []).filter(
    (entry: Descriptor) => BUNDLE_TYPE.test(entry.artifactType ?? '') && entry.digest !== undefined,
  )
  const found = await Promise.all(
    listed.slice(0, MAX_CANDIDATES).map(async (entry) => {
      const digest = entry.digest ?? ''
      const manifest = await registry.manifest(digest)
      const layer = manifest?.layers?.find((item) => BUNDLE_TYPE.test(item.mediaType ?? ''))
      if (layer?.digest === undefined) return undefined
      const text = (await registry.blob(layer.digest)).toString('utf8')
      let bundle: unknown
      try {
        bundle = JSON.parse(text)
      } catch {
        bundle = text
      }
      return { kind: 'bundle' as const, where: `referrer ${digest}`, bundle }
    }),
  )
  return found.filter((candidate) => candidate !== undefined)
}
