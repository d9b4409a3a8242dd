import type { HelmCli } from '../../../helm/cli.js'
import { lastHelmError } from '../../../helm/failure.js'
import type { KubeApi } from '../../../kube/kube-api.js'
import { messageOf } from '../../../lib/errors.js'
import { describePod, describePodLine } from '../rollout/pod-state.js'
import type { CheckResult, TestPodLog } from './types.js'

export interface HelmTestParams {
  readonly release: string
  readonly namespace: string
  /** What is left of verify-timeout: helm's own --timeout for the test pods. */
  readonly timeoutSeconds: number
  /** log-lines: lines of each failed test pod's log. */
  readonly logLines: number
}

/** A test suite as `helm test` prints it (Helm 3 and 4): `TEST SUITE: <pod>` ... `Phase: <phase>`. */
export interface TestSuite {
  readonly pod: string
  readonly phase: string
}

/** The test pods and their phases out of `helm test`'s output; the pods its error names as failed too. Pure. */
export function parseTestSuites(stdout: string, stderr: string): TestSuite[] {
  const suites: TestSuite[] = []
  for (const block of stdout.split(/^TEST SUITE:/m).slice(1)) {
    const pod = /^\s*(\S+)/.exec(block)?.[1]
    const phase = /^Phase:\s*(\S+)/m.exec(block)?.[1] ?? 'Unknown'
    if (pod !== undefined) suites.push({ pod, phase })
  }
  // Helm 3: `pod web-test failed`; Helm 4: `resource Pod/ns/web-test not ready. status: Failed`.
  for (const match of stderr.matchAll(
    /\bpod ([a-z0-9][-a-z0-9.]*) failed|Pod\/[^/\s]+\/([a-z0-9][-a-z0-9.]*) not ready/g,
  )) {
    const pod = match[1] ?? match[2]
    if (pod !== undefined && !suites.some((suite) => suite.pod === pod)) suites.push({ pod, phase: 'Failed' })
  }
  return suites
}

/**
 * `helm test` of the release within what is left of the budget; a failed test pod explained as the
 * rollout's diagnosis explains a pod (its state, in the kubelet's words, and its log's last lines).
 */
export async function runHelmTest(
  helm: HelmCli,
  params: HelmTestParams,
  deps: { readonly connectKube: () => Promise<KubeApi>; readonly signal: AbortSignal },
): Promise<{ readonly result: Omit<CheckResult, 'seconds'>; readonly logs: readonly TestPodLog[] }> {
  const { release, namespace } = params
  const args = [
    'test',
    release,
    '--namespace',
    namespace,
    '--timeout',
    `${Math.max(1, params.timeoutSeconds)}s`,
  ]
  const run = await helm.runtime.exec(helm.binary, args, { env: helm.env, stop: deps.signal })
  const suites = parseTestSuites(run.stdout, run.stderr)
  const base = { kind: 'helm-test', name: 'helm test' } as const
  if (run.exitCode === 0) {
    const names = suites.map((suite) => suite.pod).join(', ')
    const detail =
      suites.length === 0
        ? 'the chart has no test hooks'
        : `${suites.length} test pod${suites.length === 1 ? '' : 's'} succeeded (${names})`
    return { result: { ...base, status: 'passed', detail }, logs: [] }
  }
  const failed = suites.filter((suite) => suite.phase !== 'Succeeded')
  if (failed.length === 0 || deps.signal.aborted)
    return { result: { ...base, status: 'failed', detail: lastHelmError(run.stderr) }, logs: [] }
  const explained = await explainTestPods(failed, params, deps.connectKube).catch((error: unknown) => ({
    lines: failed.map((suite) => `${suite.pod}: ${suite.phase} (${messageOf(error)})`),
    logs: [],
  }))
  return { result: { ...base, status: 'failed', detail: explained.lines.join('; ') }, logs: explained.logs }
}

async function explainTestPods(
  failed: readonly TestSuite[],
  params: HelmTestParams,
  connectKube: () => Promise<KubeApi>,
): Promise<{ lines: string[]; logs: TestPodLog[] }> {
  const kube = await connectKube()
  const { pods } = await kube.snapshot(params.namespace)
  const lines: string[] = []
  const logs: TestPodLog[] = []
  for (const suite of failed.slice(0, MAX_PODS)) {
    const pod = pods.find((candidate) => candidate.metadata?.name === suite.pod)
    const state = pod === undefined ? undefined : describePod(pod)
    lines.push((state === undefined ? undefined : describePodLine(state)) ?? `${suite.pod}: ${suite.phase}`)
    if (pod === undefined || params.logLines === 0) continue
    for (const container of pod.spec?.containers ?? []) {
      const text = await kube
        .podLog(params.namespace, suite.pod, {
          container: container.name,
          tailLines: params.logLines,
          previous: false,
        })
        .catch(() => '')
      const podLines = text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .slice(-params.logLines)
      if (podLines.length > 0) logs.push({ pod: suite.pod, container: container.name, lines: podLines })
    }
  }
  return { lines, logs }
}

const MAX_PODS = 4
