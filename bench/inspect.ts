import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ROOT } from '../__tests__/fixtures/action-runner.js'
import { loadedDistFiles, type BundleFile } from './bundle-files.js'
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile.js'
import type { BenchContext, Scenario } from './scenarios.js'

const PRELOAD = path.join(ROOT, 'bench', 'hooks', 'inspect-run.mjs')

/** One extra, untimed run of a scenario with hooks/inspect-run.mjs preloaded through NODE_OPTIONS. */
async function inspectRun(
  ctx: BenchContext,
  scenario: Scenario,
  variable: 'BENCH_LOADED_FILES' | 'BENCH_CPU_PROFILE',
): Promise<string | undefined> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'eks-bench-inspect-'))
  const file = path.join(dir, 'out')
  try {
    await scenario.run(ctx, { NODE_OPTIONS: `--import=${PRELOAD}`, [variable]: file })
    return await fs.readFile(file, 'utf8')
  } catch {
    return undefined
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/** The dist/ files (entry and chunks) the run loads. */
export async function recordLoadedFiles(
  ctx: BenchContext,
  scenario: Scenario,
): Promise<BundleFile[] | undefined> {
  const text = await inspectRun(ctx, scenario, 'BENCH_LOADED_FILES')
  return text === undefined ? undefined : loadedDistFiles(ROOT, text.split('\n'))
}

/** A V8 CPU profile of the run, summarized; the profile itself is kept as `keepAs` (open it in Chrome DevTools). */
export async function profileRun(
  ctx: BenchContext,
  scenario: Scenario,
  keepAs: string,
): Promise<ProfileSummary | undefined> {
  const text = await inspectRun(ctx, scenario, 'BENCH_CPU_PROFILE')
  if (text === undefined) return undefined
  await fs.writeFile(keepAs, text)
  return summarizeProfile(JSON.parse(text) as CpuProfile, ROOT)
}
