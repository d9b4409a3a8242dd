import * as core from '@actions/core'
import { runPostStep } from '../action/cleanup.js'
import { enableCompileCache } from '../runner/compile-cache.js'

enableCompileCache(process.env)
await runPostStep(core, process.env)
