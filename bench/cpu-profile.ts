import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The parts of a V8 .cpuprofile the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
    readonly children?: readonly number[]
  }[]
  readonly startTime: number
  readonly endTime: number
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export interface TimeShare {
  readonly name: string
  readonly ms: number
}

export interface ProfileSummary {
  /** Sampled time, without the profiler's own start-up (the preload that started it). */
  readonly totalMs: number
  /** Self time by where the code lives: a dist/ file, Node's internals, V8's own work. */
  readonly byPlace: readonly TimeShare[]
  readonly topFunctions: readonly TimeShare[]
}

/** V8 states and Node internals that explain start-up time, named for a reader. */
const KNOWN_FUNCTIONS: Readonly<Record<string, string>> = {
  compileSourceTextModule: 'V8 parses/compiles an ES module (the bundle source)',
  compileForInternalLoader: 'Node compiles one of its built-in modules',
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8/native work outside JS (compiling, bootstrap)',
  '(idle)': 'idle: waiting for I/O (network, child, timers)',
}

export function summarizeProfile(profile: CpuProfile, root: string, top = 8): ProfileSummary {
  const excluded = profilerNodes(profile)
  const selfUs = new Map<number, number>()
  profile.samples.forEach((id, index) => {
    if (!excluded.has(id)) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
  })
  const byPlace = new Map<string, number>()
  const byFunction = new Map<string, number>()
  const add = (map: Map<string, number>, key: string, us: number): void => {
    map.set(key, (map.get(key) ?? 0) + us)
  }
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0
    if (us === 0) continue
    const { functionName, url, lineNumber } = node.callFrame
    const place = placeOf(url, functionName, root)
    add(byPlace, place, us)
    const name = functionName === '' ? '(anonymous)' : functionName
    add(byFunction, KNOWN_FUNCTIONS[functionName] ?? `${name} (${place}:${lineNumber + 1})`, us)
  }
  const rank = (map: Map<string, number>): TimeShare[] =>
    [...map.entries()]
      .map(([name, us]) => ({ name, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
  let totalUs = 0
  for (const us of selfUs.values()) totalUs += us
  return { totalMs: totalUs / 1000, byPlace: rank(byPlace), topFunctions: rank(byFunction) }
}

/** The preload that starts the profiler (and the inspector work it causes) is not the action's time. */
function profilerNodes(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const excluded = new Set<number>()
  const stack = profile.nodes.filter((node) => node.callFrame.url.includes('/bench/hooks/')).map((n) => n.id)
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (excluded.has(id)) continue
    excluded.add(id)
    stack.push(...(byId.get(id)?.children ?? []))
  }
  return excluded
}

/** Node's internals, split by what they do at start-up. */
const NODE_PLACES: readonly (readonly [RegExp, string])[] = [
  [/^node:internal\/deps\/undici/, 'Node: fetch() (its own bundled undici, loaded on first use)'],
  [/^node:internal\/modules\//, 'Node: module loader'],
  [/^node:internal\/bootstrap\//, 'Node: compiling its built-in modules'],
]

function placeOf(url: string, functionName: string, root: string): string {
  if (functionName === 'compileSourceTextModule') return 'V8: compiling ES modules (the bundle files)'
  if (functionName === '(idle)') return 'idle: waiting for the network or a timer'
  if (url === '')
    return KNOWN_FUNCTIONS[functionName] === undefined ? 'native code' : 'V8: GC and other work outside JS'
  if (url.startsWith('node:'))
    return NODE_PLACES.find(([pattern]) => pattern.test(url))?.[1] ?? 'Node: other internals'
  if (url.startsWith('file:')) return path.relative(root, fileURLToPath(url))
  return url
}
