import { runTokenPlugin } from './token-plugin.js'

process.exitCode = runTokenPlugin(process.argv.slice(2), process.env)
