import { runPostStep } from './cleanup.js'
import { enableCompileCache } from './compile-cache.js'

enableCompileCache(process.env)
await runPostStep()
