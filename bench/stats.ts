/** Median and range of a sample of durations in milliseconds. */
export interface Summary {
  readonly runs: number
  readonly medianMs: number
  readonly minMs: number
  readonly maxMs: number
}

export function summarize(samples: readonly number[]): Summary | undefined {
  if (samples.length === 0) return undefined
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const medianMs =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
  return { runs: sorted.length, medianMs, minMs: sorted[0] ?? 0, maxMs: sorted.at(-1) ?? 0 }
}

/** 1234.5 → "1.23 s", 41.2 → "41 ms". */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MB`
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`
}

/** ours ÷ theirs of the medians, with how many times faster ours is: "0.11 (9.1× faster)". */
export function formatRatio(ours: Summary | undefined, theirs: Summary | undefined): string {
  if (ours === undefined || theirs === undefined || theirs.medianMs === 0 || ours.medianMs === 0) return ''
  const ratio = ours.medianMs / theirs.medianMs
  const speed = ratio <= 1 ? `${(1 / ratio).toFixed(1)}× faster` : `${ratio.toFixed(1)}× slower`
  return `${ratio.toFixed(2)} (${speed})`
}
