import { chmodSync, constants, mkdirSync, mkdtempSync, promises as fs } from 'node:fs'
import path from 'node:path'

/**
 * The names the action gives its directories under RUNNER_TEMP: the post step removes only
 * directories of these names there (cleanup.ts), whatever its state says.
 */
export const PRIVATE_DIR_PREFIXES = [
  'docker-config-',
  'eks-kubeconfig-',
  'eks-helm-',
  'eks-manifests-',
] as const
export type PrivateDirPrefix = (typeof PRIVATE_DIR_PREFIXES)[number]

/**
 * A new directory only the runner's user can read (0700), under `parent` (RUNNER_TEMP), made with the
 * file system's synchronous calls, a fraction of a millisecond: at the step's start each asynchronous
 * call would wait behind the modules that load meanwhile. A failure is the promise's, not a throw.
 */
export function makePrivateDir(parent: string, prefix: PrivateDirPrefix): Promise<string> {
  try {
    mkdirSync(parent, { recursive: true })
    const dir = mkdtempSync(path.join(parent, prefix))
    chmodSync(dir, 0o700)
    return Promise.resolve(dir)
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
}

/**
 * Writes a file that holds credentials: mode 0600, never through a symlink (O_NOFOLLOW),
 * replaced atomically so no reader sees it half written.
 */
// O_NOFOLLOW does not exist on Windows.
const noFollow = (constants as { O_NOFOLLOW?: number }).O_NOFOLLOW ?? 0

export async function writePrivateFile(file: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow
  const handle = await fs.open(temporary, flags, 0o600)
  try {
    await handle.writeFile(content)
  } finally {
    await handle.close()
  }
  await fs.chmod(temporary, 0o600)
  await fs.rename(temporary, file)
}
