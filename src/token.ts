import { runTokenPlugin } from './token-plugin.js'

process.exitCode = await runTokenPlugin(process.argv.slice(2), process.env)
