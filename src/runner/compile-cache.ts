import module from 'node:module'
import path from 'node:path'

type EnableCompileCache = (directory?: string) => unknown

/** Under RUNNER_TEMP; it outlives the step on purpose, for the job's later Node processes. */
export const COMPILE_CACHE_DIR = 'eks-deploy-action-compile-cache'

/**
 * Node 22.1+ can keep V8's compiled code on disk (module.enableCompileCache): a later process that
 * loads the same files skips most of their compiling. It covers only what is loaded after the call,
 * that is the chunks the phases import (the SDK clients), which the action's next step in the same
 * job loads again; the post and token entries are single small files, compiled before their call,
 * so for them it is a no-op that costs nothing measurable. The cache goes under RUNNER_TEMP, which
 * the runner empties after the job. An optimisation only: on Node 20, which lacks the function, and
 * on any failure, nothing happens and nothing is printed.
 */
export function enableCompileCache(
  env: NodeJS.ProcessEnv,
  nodeModule = module as { readonly enableCompileCache?: EnableCompileCache },
): void {
  try {
    const enable = nodeModule.enableCompileCache
    if (typeof enable !== 'function') return
    const runnerTemp = env.RUNNER_TEMP?.trim()
    if (runnerTemp) enable(path.join(runnerTemp, COMPILE_CACHE_DIR))
    else enable()
  } catch {
    // Documented never to throw; a Node that did would only lose the speed-up.
  }
}
