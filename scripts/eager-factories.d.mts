/** The bundle file's code with its module factories compiled eagerly; unchanged when it has none. */
export function makeFactoriesEager(code: string): string
