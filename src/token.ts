import { enableCompileCache } from './compile-cache.js'
import { runTokenPlugin } from './token-plugin.js'

enableCompileCache(process.env)
process.exitCode = runTokenPlugin(process.argv.slice(2), process.env)
