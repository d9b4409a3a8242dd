import type { ReleaseSpec } from '../../helm/args.js'
import type { HelmCli } from '../../helm/cli.js'
import type { KubeApi } from '../../kube/kube-api.js'
import { accessQuestions } from './rollout/access-questions.js'
import type { RenderedObject } from './rollout/rendered.js'

/**
 * The pre-flight's access reviews, asked the moment the client, helm's version and a local chart's
 * render are there, while the history and the namespace are still being read: whichever way those
 * turn out (install or upgrade, history pruned or not, namespace to create or not), its questions are
 * among these, and the client keeps each answer for the pre-flight to find. A few reviews more than
 * needed, one round trip less before helm starts. Nothing is decided here and no error is reported:
 * the pre-flight asks again whatever did not come back.
 */
export function askAccessAhead(
  spec: ReleaseSpec,
  helm: Promise<HelmCli>,
  rendered: Promise<readonly RenderedObject[] | undefined> | undefined,
  connect: () => Promise<KubeApi>,
): void {
  if (!spec.isPreflight || spec.isDryRun || rendered === undefined) return
  const ask = async (): Promise<void> => {
    const [cli, objects, kube] = await Promise.all([helm, rendered, connect()])
    if (objects === undefined) return
    const possible = [true, false].map((isInstall) =>
      accessQuestions(
        {
          namespace: spec.namespace,
          objects,
          helmMajor: cli.version.major,
          isInstall,
          shouldCreateNamespace: spec.shouldCreateNamespace,
          isWaiting: spec.shouldWait || spec.isAtomic,
          isAtomic: spec.isAtomic,
          isPruning: spec.historyMax > 0,
        },
        kube,
      ),
    )
    await kube.reviewAccess((await Promise.all(possible)).flatMap((asked) => asked.questions))
  }
  ask().catch(() => undefined)
}
