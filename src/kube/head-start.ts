import { loadInProcess, startKubeWorker } from './worker-client.js'

/** Starts loading the Kubernetes client: its thread, else (the sources under test) its module here. */
export async function startKube(): Promise<void> {
  if (startKubeWorker() === undefined) await (await loadInProcess()).loadKubeModule()
}
