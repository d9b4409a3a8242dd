import { runPostStep } from './cleanup.js'

await runPostStep()
