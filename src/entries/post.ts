import { run } from '../post.js'
import { enableCompileCache } from '../runner/compile-cache.js'

enableCompileCache(process.env)
await run()
