/** Minifies the chunk files ncc wrote to `dir` (`<id>.index.js`); returns how many. */
export function minifyChunks(dir: string): Promise<{ chunks: number }>
