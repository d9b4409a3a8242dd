import path from 'node:path'
import { writePrivateFile } from '../../lib/private-file.js'
import type { PhaseDeps } from '../phase.js'
import type { LeaseMemory } from './lock/index.js'

/**
 * Keeps the held release lock in the post step's state, with what the post step needs to reach the
 * cluster as this step does: the kubeconfig, and the token plugin's signing variables in a private
 * file (0600, in the step's own helm directory, which the post step removes afterwards). A cancelled
 * step is killed before it exports anything, so the post step's environment may have no credentials.
 */
export function leaseMemory(
  deps: Pick<PhaseDeps, 'cleanup'>,
  where: {
    readonly kubeconfigPath: string | undefined
    readonly helmDir: string
    readonly signingEnv: Readonly<Record<string, string>>
  },
): { [K in keyof LeaseMemory]: (...args: Parameters<LeaseMemory[K]>) => Promise<void> } {
  const execEnvFile = path.join(where.helmDir, 'lock-signing-env.json')
  let written: Promise<void> = Promise.resolve()
  return {
    hold: (lease) => {
      return (written = writePrivateFile(execEnvFile, JSON.stringify(where.signingEnv))
        .then(() => {
          deps.cleanup.holdLease({ ...lease, kubeconfigPath: where.kubeconfigPath, execEnvFile })
        })
        .catch(() => {
          deps.cleanup.holdLease({ ...lease, kubeconfigPath: where.kubeconfigPath, execEnvFile: undefined })
        }))
    },
    drop: (lease) => {
      return written.then(() => {
        deps.cleanup.dropLease({ ...lease, kubeconfigPath: where.kubeconfigPath, execEnvFile })
      })
    },
  }
}
