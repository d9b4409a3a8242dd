// snappyjs (pure JavaScript, snappy's block format) ships no types: the two functions used.
declare module 'snappyjs' {
  /** Throws when the block declares more than maxLength bytes, before it decodes them. */
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array
  export function compress(uncompressed: Uint8Array): Uint8Array
}
