import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { interpreterOf, locateProgram } from './aws-cli.js'
import type { MachineInfo } from './results.js'

/** What the figures depend on. */
export function readMachineInfo(loadBefore: readonly number[]): MachineInfo {
  const nproc = spawnSync('nproc', { encoding: 'utf8' })
  return {
    cpus: nproc.status === 0 ? Number(nproc.stdout.trim()) : os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    moto: motoVersion(),
    loadBefore,
    loadAfter: os.loadavg(),
  }
}

/** moto's version, from the Python that runs moto_server. */
function motoVersion(): string {
  const located = locateProgram('moto_server', undefined, process.env)
  if ('missing' in located) return 'version unknown'
  const { command } = interpreterOf(located.entry)
  const probe = spawnSync(command, ['-c', 'import moto, sys; sys.stdout.write(moto.__version__)'], {
    encoding: 'utf8',
  })
  return probe.status === 0 ? probe.stdout.trim() : 'version unknown'
}
