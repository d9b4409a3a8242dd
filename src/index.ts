import { enableCompileCache } from './compile-cache.js'
import { runMainStep } from './entry-main.js'

enableCompileCache(process.env)
await runMainStep()
