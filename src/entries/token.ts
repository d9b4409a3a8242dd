import { enableCompileCache } from '../runner/compile-cache.js'
import { runTokenPlugin } from '../eks-token/plugin.js'

enableCompileCache(process.env)
process.exitCode = await runTokenPlugin(process.argv.slice(2), process.env)
