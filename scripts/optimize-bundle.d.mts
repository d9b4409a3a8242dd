/** The bundle file's code with its module factories compiled eagerly; unchanged when it has none. */
export function makeFactoriesEager(code: string): string

/** Optimizes the files ncc wrote to `dir` (minified chunks, eager factories); throws when ncc's output has another shape. */
export function optimizeBundle(dir: string): Promise<{ files: number; chunks: number }>
