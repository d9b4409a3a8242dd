import { runMainStep } from './entry-main.js'

await runMainStep()
