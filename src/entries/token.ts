import { enableCompileCache } from '../runner/compile-cache.js'
import { exitWithin } from '../runner/exit.js'
import { runTokenPlugin } from '../eks-token/plugin.js'

enableCompileCache(process.env)
exitWithin(await runTokenPlugin(process.argv.slice(2), process.env), 2_000)
