import { parentPort } from 'node:worker_threads'
import { createKubeClient } from '../kube/kube-client.js'
import { loadKubeModule } from '../kube/kube-config.js'
import { serveKube } from '../kube/worker-serve.js'
import { enableCompileCache } from '../runner/compile-cache.js'

// The Kubernetes client's thread (src/kube/worker-client.ts): client-node starts loading at once,
// while the main thread runs auth, ECR and kubeconfig.
// Nothing this thread prints may reach the job log, where a line could be a workflow command: the
// client prints nothing on its own, and anything that did is dropped. (A Worker's own stdout option
// would keep the process open after the deploy.)
for (const stream of [process.stdout, process.stderr]) stream.write = () => true
enableCompileCache(process.env)
loadKubeModule().catch(() => undefined)
if (parentPort !== null) serveKube(parentPort, createKubeClient)
