import { rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { ASKED_SUFFIX, GATE_OPEN, GATE_REFUSED, HELM_GATE_ENV, HELM_GATE_PID_ENV } from '../eks-token/gate.js'
import { writePrivateFile } from '../lib/private-file.js'

/**
 * Holds a helm started ahead of the deploy's pre-flight at its first request to the cluster: the
 * kubeconfig's token plugin, helm's only credential, waits for this gate's file before it answers helm
 * (eks-token/gate.ts). Until `open`, helm can start and read its files, but not reach the cluster;
 * after `refuse`, it gets no token and fails without having sent a request.
 */
export interface HelmGate {
  /** What helm's environment gets: the gate file and this process's id, for the plugin. */
  readonly env: Readonly<Record<string, string>>
  /** Lets helm through, now and whenever its plugin runs again (a token refresh). */
  open(): Promise<void>
  /** Refuses helm, now and later, with `reason` in the plugin's error. */
  refuse(reason: string): Promise<void>
  /** When helm asked for its token (the wall clock, ms), if it has. */
  askedAt(): Promise<number | undefined>
  /** Removes the gate's files. */
  remove(): Promise<void>
}

/** A gate in `dir`, a private directory of the step's (its helm directory): nothing is written yet. */
export function helmGate(dir: string): HelmGate {
  const file = path.join(dir, 'helm-gate')
  let decided: Promise<void> | undefined
  const decide = (answer: string): Promise<void> =>
    (decided ??= writePrivateFile(file, `${answer.replace(/\s+/g, ' ')}\n`))
  return {
    env: { [HELM_GATE_ENV]: file, [HELM_GATE_PID_ENV]: String(process.pid) },
    open: () => decide(GATE_OPEN),
    refuse: (reason) => decide(`${GATE_REFUSED}${reason}`),
    askedAt: () =>
      stat(`${file}${ASKED_SUFFIX}`).then(
        (asked) => asked.mtimeMs,
        () => undefined,
      ),
    remove: async () => {
      await Promise.all([rm(file, { force: true }), rm(`${file}${ASKED_SUFFIX}`, { force: true })])
    },
  }
}
