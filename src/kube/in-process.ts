// The Kubernetes client in the calling thread: for the sources only (the tests, a debugger running
// src/). The bundle runs it in its own thread (dist/kube-worker/), and never loads this module.
export { createKubeClient } from './kube-client.js'
export { loadKubeModule } from './kube-config.js'
