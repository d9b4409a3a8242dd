import { randomUUID } from 'node:crypto'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as core from '@actions/core'
import { downloadFile } from './download.js'
import { carriesWorkflowCommand, neutraliseCommands } from '../lib/printable.js'
import type { ActionRuntime, ToolCache } from './runtime.js'
import { spawnProcess } from './spawn.js'

/**
 * The Runtime of a real run: @actions/core for the runner protocol, child processes through
 * spawn.ts, and @actions/tool-cache loaded only when a phase installs a tool (most runs never do).
 */
export function createActionsRuntime(): ActionRuntime {
  const masked = new Set<string>()
  return {
    info: (message) => {
      // The one door for log lines: a message quotes text from outside (an AWS answer, a cluster's
      // event, a chart's appVersion); if the runner could read a workflow command in it (`::` at a
      // line's start, `##[` anywhere), the message is relayed, so that it prints as plain text.
      if (carriesWorkflowCommand(message)) relay(message)
      else core.info(message)
    },
    // These are commands themselves (::debug::, ::warning::): the text inside is not read as another
    // one, but is neutralised all the same, so no runner version's legacy parser finds `##[` in it.
    debug: (message) => {
      core.debug(neutraliseCommands(message))
    },
    notice: (message) => {
      core.notice(neutraliseCommands(message))
    },
    warning: (message) => {
      core.warning(neutraliseCommands(message))
    },
    setSecret: (secret) => {
      // Registering a value once is enough; a phase and the orchestrator may both mask the same account id.
      if (secret === '' || masked.has(secret)) return
      masked.add(secret)
      core.setSecret(secret)
    },
    redact: (text) => redactSecrets(text, masked),
    relay,
    group: (title, fn) => core.group(title, fn),
    exec: (command, args, request = {}) =>
      spawnProcess(command, args, request, {
        relay,
        warning: (message) => {
          core.warning(neutraliseCommands(message))
        },
      }),
    setOutput: (name, value) => {
      core.setOutput(name, value)
    },
    appendSummary: async (markdown) => {
      if (process.env.GITHUB_STEP_SUMMARY === undefined) return
      await core.summary.addRaw(markdown, true).write()
    },
    exportVariable: (name, value) => {
      core.exportVariable(name, value)
    },
    saveState: (name, value) => {
      core.saveState(name, value)
    },
    addPath: (dir) => {
      core.addPath(dir)
    },
    toolCache: lazyToolCache(),
    now: () => Date.now(),
    sleep: sleepUnlessAborted,
  }
}

function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve()
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Longest first, so a secret that contains another is replaced whole. */
function redactSecrets(text: string, secrets: ReadonlySet<string>): string {
  return [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((out, secret) => out.split(secret).join('***'), text)
}

/**
 * @actions/core has no call for stop-commands, so the pair is written here, through core.info: a fresh
 * random token each time, so the relayed text cannot end the pause itself.
 * https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands#stopping-and-starting-workflow-commands
 */
function relay(text: string): void {
  if (text === '') return
  const token = `eks-deploy-action-${randomUUID()}`
  core.info(`::stop-commands::${token}`)
  core.info(text.replace(/\r?\n$/, ''))
  core.info(`::${token}::`)
}

function lazyToolCache(): ToolCache {
  const load = () => import('@actions/tool-cache')
  return {
    find: async (tool, version, arch) => (await load()).find(tool, version, arch),
    download: async (url, limits) => {
      const file = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), randomUUID())
      try {
        await downloadFile(url, file, limits)
      } catch (error) {
        await fs.rm(file, { force: true })
        throw error
      }
      return file
    },
    extract: async (archive, kind) => {
      const tc = await load()
      return kind === 'zip' ? tc.extractZip(archive) : tc.extractTar(archive)
    },
    cacheDir: async (dir, tool, version, arch) => (await load()).cacheDir(dir, tool, version, arch),
  }
}
