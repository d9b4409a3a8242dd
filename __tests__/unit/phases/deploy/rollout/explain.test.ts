import type { Diagnosis } from '../../../../../src/phases/deploy/rollout/diagnose.js'
import { HopelessDetector } from '../../../../../src/phases/deploy/rollout/fail-fast.js'
import { diagnosisLines, diagnosisView } from '../../../../../src/phases/deploy/rollout/diagnosis-view.js'
import { failureReason, tellingLogLine } from '../../../../../src/phases/deploy/rollout/explain.js'
import { diagnosisMarkdown } from '../../../../../src/phases/deploy/rollout/markdown.js'
import { workloadStatuses, type WorkloadKind } from '../../../../../src/phases/deploy/rollout/workloads.js'
import { recorded, recordedSnapshot } from '../../../../fixtures/kube-recorded.js'

const statusOf = (kind: WorkloadKind, name: string) => {
  const status = workloadStatuses([{ kind, name, isHook: false }], 'rec10', recordedSnapshot)[0]
  if (status === undefined) throw new Error(name)
  return status
}
const lines = (text: string) => text.split('\n').filter((line) => line !== '')

const diagnosisOf = (
  name: string,
  logs: Diagnosis['logs'] = [],
  extra: Partial<Diagnosis> = {},
): Diagnosis => ({
  workloads: [statusOf('Deployment', name)],
  events: [],
  logs,
  imageNote: undefined,
  gaps: [],
  ...extra,
})

describe('tellingLogLine: the line that says why a container failed', () => {
  test('a Go panic after a fatal log entry: the message of the fatal entry', () => {
    expect(tellingLogLine(lines(recorded.crashLog))).toBe('cannot connect to database')
  })
  test('a migration: the SQL error, not the summary line after it', () => {
    expect(tellingLogLine(lines(recorded.jobLog))).toBe('ERROR: relation "users" does not exist')
  })
  test('nothing telling: the last line, timestamp dropped; nothing at all: undefined', () => {
    expect(
      tellingLogLine(['2026-01-01T00:00:00Z listening on :8080', '2026-01-01T00:00:01Z still here']),
    ).toBe('still here')
    expect(tellingLogLine([])).toBeUndefined()
  })
  test('control characters cannot start a line of their own', () => {
    expect(tellingLogLine(['ERROR: boom\r\n::warning::x'])).toBe('ERROR: boom ::warning::x')
  })
})

describe('failureReason: one line for output failure-reason', () => {
  const crash = statusOf('Deployment', 'web-crash')
  const verdict = new HopelessDetector().observe([crash], 0)!
  const crashLog = {
    pod: crash.pods[0]!.name,
    container: 'web',
    isPrevious: true,
    lines: lines(recorded.crashLog),
  }

  test('a crash loop stopped by fail-fast: the pod, the container, the exit code and the log line', () => {
    const reason = failureReason(
      { kind: 'hopeless', verdict, afterSeconds: 31 },
      diagnosisOf('web-crash', [crashLog]),
    )
    expect(reason).toBe(
      `CrashLoopBackOff: pod ${crash.pods[0]!.name} container web exited 1: cannot connect to database`,
    )
  })

  test('OOMKilled says so', () => {
    const oom = statusOf('Deployment', 'web-oomkill')
    const reason = failureReason(
      { kind: 'hopeless', verdict: new HopelessDetector().observe([oom], 0)!, afterSeconds: 30 },
      undefined,
    )
    expect(reason).toMatch(/^CrashLoopBackOff: pod web-oomkill-\S+ container web was OOMKilled \(exit 137\)$/)
  })

  test('a pull failure: the image, and what ECR said about it', () => {
    const pull = statusOf('Deployment', 'web-pullfail')
    const detector = new HopelessDetector()
    detector.observe([pull], 0)
    const hopeless = detector.observe([pull], 60_000)!
    const reason = failureReason(
      { kind: 'hopeless', verdict: hopeless, afterSeconds: 62 },
      diagnosisOf('web-pullfail', [], { imageNote: 'The image shop/web:pullfail0001 is not in ECR' }),
    )
    expect(reason).toMatch(
      /^ImagePullBackOff: pod web-pullfail-\S+ container web cannot pull 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/shop\/web:pullfail0001 \(The image shop\/web:pullfail0001 is not in ECR\)$/,
    )
  })

  test('a config error: the kubelet’s message', () => {
    const config = statusOf('Deployment', 'web-configerr')
    const detector = new HopelessDetector()
    detector.observe([config], 0)
    const reason = failureReason(
      { kind: 'hopeless', verdict: detector.observe([config], 30_000)!, afterSeconds: 31 },
      undefined,
    )
    expect(reason).toMatch(
      /^CreateContainerConfigError: pod web-configerr-\S+ container web: secret "app-secrets" not found$/,
    )
  })

  test('a timeout: the unschedulable pod and the scheduler’s message', () => {
    const reason = failureReason({ kind: 'timeout', timeout: '5m' }, diagnosisOf('web-unsched'))
    expect(reason).toMatch(
      /^Timed out after 5m: Deployment rec10\/web-unsched: 0\/1 ready, 1\/1 updated; pod web-unsched-\S+: Unschedulable: 0\/1 nodes are available/,
    )
  })

  test('a timeout with only slow pods: the counts', () => {
    expect(failureReason({ kind: 'timeout', timeout: '90s' }, diagnosisOf('web-slow40'))).toBe(
      'Timed out after 90s: Deployment rec10/web-slow40: 0/1 ready, 1/1 updated',
    )
  })

  test('helm failed with nothing in the cluster to show: helm’s own error', () => {
    expect(
      failureReason(
        { kind: 'helm', error: 'ConfigMap "x" is invalid' },
        { workloads: [], events: [], logs: [], imageNote: undefined, gaps: [] },
      ),
    ).toBe('helm: ConfigMap "x" is invalid')
  })
})

describe('the diagnosis in the log and in the job summary', () => {
  const crash = statusOf('Deployment', 'web-crash')
  const diagnosis = diagnosisOf(
    'web-crash',
    [{ pod: crash.pods[0]!.name, container: 'web', isPrevious: true, lines: ['<b>panic</b> & | `x`'] }],
    {
      events: [
        {
          object: 'Pod/web-crash-x',
          reason: 'BackOff',
          message: 'Back-off restarting failed container',
          count: 5,
          lastSeenMs: 1,
        },
      ],
      gaps: ['events: timed out'],
    },
  )

  test('log lines: the reason, workloads, pods, events with counts, what could not be gathered', () => {
    expect(diagnosisLines(diagnosisView('CrashLoopBackOff: web', diagnosis))).toEqual([
      'CrashLoopBackOff: web',
      'Deployment rec10/web-crash: 0/1 ready, 1/1 updated',
      expect.stringMatching(/^ {2}web-crash-\S+: CrashLoopBackOff, \d+ restarts, last exit 1$/),
      'Recent warning events (most recent first):',
      '  Pod/web-crash-x BackOff (x5): Back-off restarting failed container',
      '(not shown: events: timed out)',
    ])
  })

  test('markdown: escaped, with each log in a collapsed block', () => {
    const markdown = diagnosisMarkdown(diagnosisView('CrashLoopBackOff: <pod>', diagnosis))
    expect(markdown).toContain('**CrashLoopBackOff: &#60;pod&#62;**')
    expect(markdown).toContain('<details><summary>Last 1 line of ')
    expect(markdown).toContain('<pre>&#60;b&#62;panic&#60;/b&#62; &#38; &#124; &#96;x&#96;</pre>')
    expect(markdown).not.toContain('<b>')
  })

  test('the log and the summary tell the same workloads, pods and events, each in its own form', () => {
    const view = diagnosisView('CrashLoopBackOff: web', diagnosis)
    const log = diagnosisLines(view).map((line) => line.trim())
    const markdown = lines(diagnosisMarkdown(view)).map((line) => line.replace(/^\s*- /, ''))
    const sections = view.sections!
    for (const said of [
      ...sections.workloads.flatMap(({ line, pods }) => [line, ...pods]),
      ...sections.events,
    ]) {
      expect(log).toContain(said)
      expect(markdown).toContain(said)
    }
  })

  test('without a diagnosis (a refused request): the reason alone', () => {
    const view = diagnosisView('RBAC refused the request', undefined)
    expect(diagnosisLines(view)).toEqual(['RBAC refused the request'])
    expect(diagnosisMarkdown(view)).toBe('#### Why the deploy failed\n\n**RBAC refused the request**\n')
  })
})
