// Preloaded (NODE_OPTIONS=--import=…) into one untimed run of the action, to see inside it:
// BENCH_CPU_PROFILE=<file>: a V8 CPU profile of the whole run, written when the process exits
//   (`node --cpu-prof` would do the same, but NODE_OPTIONS does not accept it);
// BENCH_LOADED_FILES=<file>: every module URL the run loads, one a line (which dist/ chunks a phase pulls in).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { register } from 'node:module'

const profileFile = process.env.BENCH_CPU_PROFILE
if (profileFile) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: 250 })
  session.post('Profiler.start')
  // The in-process inspector answers synchronously, so the profile is written before the exit.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(profileFile, JSON.stringify(result.profile))
    })
  })
}
if (process.env.BENCH_LOADED_FILES) register('./record-loads.mjs', import.meta.url)
