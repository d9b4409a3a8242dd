import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * CPU time (user + system) of the bench's children that have exited, from /proc/self/stat
 * (cutime + cstime, in clock ticks: 10 ms on Linux). Runs never overlap and moto_server is reaped
 * only at the end, so the difference across one run is that run's processes. CPU time hardly moves
 * when other work shares the machine, where wall time does. Undefined where /proc is missing.
 */
export function createChildCpuClock(): (() => number) | undefined {
  const read = (): number | undefined => {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8')
      // Fields after the command name (which may hold spaces): state is field 3, cutime 16, cstime 17.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(fields[13]) + Number(fields[14])
    } catch {
      return undefined
    }
  }
  if (read() === undefined) return undefined
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
  return () => ((read() ?? 0) * 1000) / ticks
}
