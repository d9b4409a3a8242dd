// Module hook (see inspect-run.mjs): appends each loaded module's URL to BENCH_LOADED_FILES.
import { appendFileSync } from 'node:fs'

export async function load(url, context, nextLoad) {
  const file = process.env.BENCH_LOADED_FILES
  if (file) appendFileSync(file, `${url}\n`)
  return nextLoad(url, context)
}
