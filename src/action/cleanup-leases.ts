import { promises as fs } from 'node:fs'
import { kubeConnection } from '../kube/connect.js'
import { releaseSavedLease, type SavedLease } from '../kube/saved-lease.js'
import type { Env } from '../lib/env.js'
import { messageOf } from '../lib/errors.js'

/**
 * Gives up the release locks the main step left held (cancelled, then killed before its helm's
 * rollback and its own release ended), so that the next deploy of the release takes the lock at once
 * instead of after the lease expires. Reaches the cluster as the main step did: its kubeconfig, whose
 * token plugin signs with what the job's environment gives (the exported credentials, the cluster
 * role's credentials file, the runner's own identity). A lease another deploy took over is left alone.
 */
export async function releaseLeases(
  leases: readonly SavedLease[],
  env: Env,
  log: { info(message: string): void; warning(message: string): void },
): Promise<void> {
  for (const lease of leases) {
    const where = `Release lock ${lease.namespace}/${lease.name}`
    try {
      const execEnv = await readExecEnv(lease.execEnvFile)
      const connect = kubeConnection({ kubeconfigPath: lease.kubeconfigPath, jobEnv: env, execEnv })
      const fate = await releaseSavedLease(await connect(), lease, Date.now())
      switch (fate) {
        case 'released':
          log.info(`${where}: released (the main step ended before it could give it up).`)
          break
        case 'held by another':
          log.info(`${where}: another deploy holds it now; left to it.`)
          break
        case 'free':
        case 'gone':
          log.info(`${where}: already free.`)
          break
      }
    } catch (error) {
      log.warning(
        `${where}: could not release it (${messageOf(error)}); it expires on its own once it is no longer renewed. kubectl -n ${lease.namespace} get lease ${lease.name} -o yaml shows its holder.`,
      )
    }
  }
}

/** The signing variables the main step saved; none when it could not write them (the job's own then). */
async function readExecEnv(file: string | undefined): Promise<Record<string, string>> {
  if (file === undefined) return {}
  const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as unknown
  if (typeof parsed !== 'object' || parsed === null) return {}
  return Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}
