import { run } from '../main.js'
import { enableCompileCache } from '../runner/compile-cache.js'

enableCompileCache(process.env)
await run()
