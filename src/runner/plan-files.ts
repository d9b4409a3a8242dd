import { promises as fs } from 'node:fs'

/** What is at a path: a file, a directory (or something else that exists), or nothing. */
export type PathKind = 'file' | 'directory' | undefined

/** What the plan reads of the runner's file system, before any AWS call. */
export interface PlanFiles {
  kind(path: string): Promise<PathKind>
  /** The file's text, or undefined when it cannot be read. */
  read(path: string): Promise<string | undefined>
  /** The file's bytes (a binary keyring), or undefined when it cannot be read. */
  readBytes(path: string): Promise<Buffer | undefined>
}

/** The runner's own file system. */
export const runnerFiles: PlanFiles = {
  kind: async (path) => {
    const stat = await fs.stat(path).catch(() => undefined)
    return stat === undefined ? undefined : stat.isFile() ? 'file' : 'directory'
  },
  read: (path) => fs.readFile(path, 'utf8').catch(() => undefined),
  readBytes: (path) => fs.readFile(path).catch(() => undefined),
}
