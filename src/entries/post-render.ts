import { readFileSync } from 'node:fs'
import { dropReplicas } from '../helm/drop-replicas.js'

// helm's post-renderer (field-conflicts: auto under an autoscaler): the rendered manifest on stdin, the same
// without .spec.replicas of the objects named in argv (`Kind/name`) on stdout.
process.stdout.write(dropReplicas(readFileSync(0, 'utf8'), process.argv.slice(2)))
