import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ActionError, messageOf } from '../../lib/errors.js'
import { mergeDockerConfig, type MergedDockerConfig, type RegistryAuth } from './docker-config.js'
import { makePrivateDir, writePrivateFile } from '../../lib/private-file.js'
import type { Logger } from '../../runner/runtime.js'

export interface DockerConfigDir extends Omit<MergedDockerConfig, 'config'> {
  readonly dir: string
}

/**
 * A new Docker config directory of our own under RUNNER_TEMP (0700, config.json 0600), so a
 * shared runner's other jobs keep their logins and the post step can delete ours whole. It starts
 * from the user's config, and links the rest of the user's directory (buildx builders,
 * cli-plugins, contexts) so builders created by an earlier setup-buildx step stay usable.
 */
export async function writeDockerConfigDir(
  params: { readonly runnerTemp: string; readonly baseDir: string | undefined },
  logins: readonly RegistryAuth[],
  log: Logger,
): Promise<DockerConfigDir> {
  const dir = await makePrivateDir(params.runnerTemp, 'docker-config-')
  try {
    const existing = params.baseDir === undefined ? {} : await readDockerConfig(params.baseDir, log)
    const { config, ...dropped } = mergeDockerConfig(existing, logins)
    if (params.baseDir !== undefined) await linkSiblings(params.baseDir, dir, log)
    await writePrivateFile(path.join(dir, 'config.json'), `${JSON.stringify(config, null, '\t')}\n`)
    return { dir, ...dropped }
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** The user's config.json, or {} when there is none. Its content is never logged: it may hold credentials. */
async function readDockerConfig(baseDir: string, log: Logger): Promise<unknown> {
  const file = path.join(baseDir, 'config.json')
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ActionError(`Could not read the existing Docker config ${file}.`, {
      cause: error,
      hint: 'Check DOCKER_CONFIG (or ~/.docker) names a readable directory, or unset DOCKER_CONFIG.',
    })
  }
  try {
    return JSON.parse(text)
  } catch {
    // JSON.parse's message quotes the text, which may be a credential: say only where.
    log.warning(`${file} is not valid JSON; the new Docker config starts empty instead of from it.`)
    return {}
  }
}

async function linkSiblings(baseDir: string, dir: string, log: Logger): Promise<void> {
  let entries: import('node:fs').Dirent[]
  try {
    entries = await fs.readdir(baseDir, { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    if (entry.name === 'config.json' || entry.name.startsWith('config.json.')) continue
    const target = path.join(baseDir, entry.name)
    try {
      // 'junction' lets Windows link a directory without admin rights; other systems ignore it.
      await fs.symlink(target, path.join(dir, entry.name), entry.isDirectory() ? 'junction' : 'file')
    } catch (error) {
      log.debug(`Could not link ${target}: ${messageOf(error)}`)
    }
  }
}
