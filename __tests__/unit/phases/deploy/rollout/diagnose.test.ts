import {
  Diagnostics,
  summarizeEvents,
  withEvidence,
  withoutTimestamps,
} from '../../../../../src/phases/deploy/rollout/diagnose.js'
import { workloadStatuses, type WorkloadRef } from '../../../../../src/phases/deploy/rollout/workloads.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'
import { recorded, recordedSnapshot } from '../../../../fixtures/kube-recorded.js'

const REFS: WorkloadRef[] = [
  { kind: 'Deployment', name: 'web-crash', isHook: false },
  { kind: 'Deployment', name: 'web-pullfail', isHook: false },
  { kind: 'Deployment', name: 'web-good', isHook: false },
]
const IMAGE_REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web'

function setUp(logLines = 20) {
  const kube = new FakeKube()
  kube.snapshots = [recordedSnapshot]
  kube.eventList = recorded.events
  const crashPod = recorded.pods.find((p) => p.metadata?.name?.startsWith('web-crash'))?.metadata?.name ?? ''
  kube.logs.set(`${crashPod}/web (previous)`, recorded.crashLog)
  const described: string[] = []
  const diagnostics = new Diagnostics(
    { namespace: 'rec10', refs: REFS, logLines, imageRepository: IMAGE_REPO },
    {
      kube,
      describeImage: (image) => {
        described.push(image)
        return Promise.resolve(`not in ECR: ${image}`)
      },
    },
  )
  return { kube, diagnostics, crashPod, described, last: workloadStatuses(REFS, 'rec10', recordedSnapshot) }
}

test('the workloads that are not ready, their warning events, the crashed container’s previous log, ECR’s word', async () => {
  const { diagnostics, crashPod, described, last } = setUp()
  const diagnosis = await diagnostics.diagnose(last, 5_000)
  expect(diagnosis.workloads.map((w) => w.ref.name)).toEqual(['web-crash', 'web-pullfail'])
  expect(diagnosis.logs).toEqual([
    {
      pod: crashPod,
      container: 'web',
      isPrevious: true,
      lines: expect.arrayContaining(['panic: cannot connect to database']) as unknown,
    },
  ])
  expect(diagnosis.events.map((e) => e.reason)).toEqual(expect.arrayContaining(['BackOff', 'Failed']))
  expect(
    diagnosis.events.every((e) => e.object.includes('web-crash') || e.object.includes('web-pullfail')),
  ).toBe(true)
  expect(described).toEqual([`${IMAGE_REPO}:pullfail0001`])
  expect(diagnosis.imageNote).toBe(`not in ECR: ${IMAGE_REPO}:pullfail0001`)
  expect(diagnosis.gaps).toEqual([])
})

test('log-lines 0: no container log is read', async () => {
  const { diagnostics, kube, last } = setUp(0)
  await diagnostics.keepLogs(last)
  const diagnosis = await diagnostics.diagnose(last, 5_000)
  expect(diagnosis.logs).toEqual([])
  expect(kube.asked.logs).toEqual([])
})

test('a log kept while helm waited is shown even when the pod is gone after the rollback', async () => {
  const { diagnostics, kube, crashPod, last } = setUp()
  await diagnostics.keepLogs(last)
  kube.logs.clear()
  const diagnosis = await diagnostics.diagnose(last, 5_000)
  expect(diagnosis.logs[0]?.pod).toBe(crashPod)
  expect(diagnosis.logs[0]?.lines).toContain('panic: cannot connect to database')
})

test('what the watch saw before a rollback wins over the ready state after it; a Job seen only now is taken now', async () => {
  const { kube, last } = setUp()
  const hook: WorkloadRef = { kind: 'Job', name: 'migrate', isHook: true }
  kube.snapshots = [{ ...recordedSnapshot, deployments: [], jobs: recordedSnapshot.jobs }]
  const diagnostics = new Diagnostics(
    { namespace: 'rec10', refs: [...REFS, hook], logLines: 5, imageRepository: undefined },
    { kube, describeImage: undefined },
  )
  const seen = [...last, workloadStatuses([hook], 'rec10', { ...recordedSnapshot, jobs: [] })[0]!]
  const diagnosis = await diagnostics.diagnose(seen, 5_000)
  expect(diagnosis.workloads.map((w) => w.ref.name)).toEqual(['web-crash', 'web-pullfail', 'migrate'])
  expect(diagnosis.workloads[2]?.exists).toBe(true)
})

test('a part that cannot be had is named as a gap; the diagnosis never fails', async () => {
  const { kube, diagnostics, last } = setUp()
  kube.events = () => Promise.reject(new Error('events are forbidden'))
  const diagnosis = await diagnostics.diagnose(last, 5_000)
  expect(diagnosis.gaps).toEqual(['events: events are forbidden'])
  expect(diagnosis.workloads).toHaveLength(2)
})

test('summarizeEvents: Warnings only, one per object/reason/message with counts added, most recent first', () => {
  const events = summarizeEvents(
    [
      {
        type: 'Warning',
        involvedObject: { kind: 'Pod', name: 'a' },
        reason: 'BackOff',
        message: 'm',
        count: 2,
        lastTimestamp: '2026-01-01T00:00:10Z',
      },
      {
        type: 'Warning',
        involvedObject: { kind: 'Pod', name: 'a' },
        reason: 'BackOff',
        message: 'm',
        count: 3,
        lastTimestamp: '2026-01-01T00:00:20Z',
      },
      { type: 'Normal', involvedObject: { kind: 'Pod', name: 'a' }, reason: 'Pulled', message: 'ok' },
      {
        type: 'Warning',
        involvedObject: { kind: 'Pod', name: 'b' },
        reason: 'Failed',
        message: 'x',
        eventTime: '2026-01-01T00:00:30Z',
      },
    ],
    () => true,
  )
  expect(events).toEqual([
    {
      object: 'Pod/b',
      reason: 'Failed',
      message: 'x',
      count: 1,
      lastSeenMs: Date.parse('2026-01-01T00:00:30Z'),
    },
    {
      object: 'Pod/a',
      reason: 'BackOff',
      message: 'm',
      count: 5,
      lastSeenMs: Date.parse('2026-01-01T00:00:20Z'),
    },
  ])
})

test('keepLogs fetches a run of a crashed container once, and keeps its last line for the fail-fast rules', async () => {
  const { kube, diagnostics, crashPod, last } = setUp()
  await diagnostics.keepLogs(last)
  await diagnostics.keepLogs(last)
  expect(kube.asked.logs.filter((key) => key.startsWith(crashPod))).toHaveLength(1)
  expect(diagnostics.lastLogLine(crashPod, 'web', 5)).toBe('exit status 1')
  expect(diagnostics.lastLogLine(crashPod, 'web', 4)).toBeUndefined()
})

test.each([
  ['2026-12-06T10:26:10.123456789Z level=fatal msg="no db"', '<time> level=fatal msg="no db"'],
  ['[10:26:10,123] ERROR no db', '[<time>] ERROR no db'],
  ['panic: cannot connect to database', 'panic: cannot connect to database'],
])('a last log line compares without its timestamps: %s', (line, bare) => {
  expect(withoutTimestamps(line)).toBe(bare)
})

test('after helm’s own rollback, the diagnosis keeps the logs and events taken before it', () => {
  const log = { pod: 'web-1', container: 'web', isPrevious: true, lines: ['panic: no db'] }
  const event = { object: 'Pod/web-1', reason: 'BackOff', message: 'Back-off', count: 2, lastSeenMs: 1 }
  const before = { workloads: [], events: [event], logs: [log], imageNote: undefined, gaps: [] }
  const after = { workloads: [], events: [], logs: [], imageNote: undefined, gaps: ['container logs: gone'] }
  expect(withEvidence(after, before)).toEqual({ ...after, events: [event], logs: [log] })
  expect(withEvidence(after, undefined)).toBe(after)
})
