import type { HelmCli } from '../../../../src/helm/cli.js'
import { DEFAULT_HELM_TIMEOUTS } from '../../../../src/helm/cli.js'
import type { AccessQuestion, ApiResource, KubeApi } from '../../../../src/kube/kube-api.js'
import { askAccessAhead } from '../../../../src/phases/deploy/access-ahead.js'
import { accessQuestions } from '../../../../src/phases/deploy/rollout/access-questions.js'
import type { RenderedObject } from '../../../../src/phases/deploy/rollout/rendered.js'
import { FakeRuntime } from '../../../fixtures/fake-runtime.js'
import { releaseSpec } from '../../../fixtures/release-spec.js'

const OBJECTS: RenderedObject[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', name: 'api', namespace: undefined, isHook: false },
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: undefined, isHook: false },
  { apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', namespace: undefined, isHook: true },
]

const RESOURCES: Record<string, ApiResource> = {
  ConfigMap: { group: '', resource: 'configmaps', isNamespaced: true },
  Deployment: { group: 'apps', resource: 'deployments', isNamespaced: true },
  Job: { group: 'batch', resource: 'jobs', isNamespaced: true },
}

const key = (q: AccessQuestion): string => `${q.verb} ${q.group} ${q.resource} ${q.namespace ?? ''}`

function fakeKube(asked: AccessQuestion[][]): KubeApi {
  return {
    findResource: (_apiVersion: string, kind: string) => Promise.resolve(RESOURCES[kind]),
    reviewAccess: (questions: readonly AccessQuestion[]) => {
      asked.push([...questions])
      return Promise.resolve(questions.map((q) => ({ ...q, isAllowed: true, reason: undefined })))
    },
  } as unknown as KubeApi
}

const helm = (major: number): Promise<HelmCli> =>
  Promise.resolve({
    binary: 'helm',
    version: { text: `v${major}.1.0`, major, minor: 1, patch: 0 },
    env: {},
    runtime: new FakeRuntime(),
    timeouts: DEFAULT_HELM_TIMEOUTS,
  })

/** Until the ask in the background has been made. */
async function askedAhead(major: number): Promise<Set<string>> {
  const asked: AccessQuestion[][] = []
  askAccessAhead(releaseSpec({ isPreflight: true }), helm(major), Promise.resolve(OBJECTS), () =>
    Promise.resolve(fakeKube(asked)),
  )
  for (let i = 0; i < 100 && asked.length === 0; i++) await new Promise((resolve) => setImmediate(resolve))
  return new Set(asked.flat().map(key))
}

describe.each([3, 4])('Helm %i: whatever the history and the namespace turn out to be', (major) => {
  test.each([
    [
      'an install into a namespace to create',
      { isInstall: true, shouldCreateNamespace: true, isPruning: false },
    ],
    [
      'an install into an existing namespace',
      { isInstall: true, shouldCreateNamespace: false, isPruning: false },
    ],
    ['an upgrade', { isInstall: false, shouldCreateNamespace: false, isPruning: false }],
    ['an upgrade at history-max', { isInstall: false, shouldCreateNamespace: false, isPruning: true }],
  ])('%s: the pre-flight finds every question already asked', async (_case, turnedOut) => {
    const ahead = await askedAhead(major)
    const { questions } = await accessQuestions(
      {
        namespace: 'shop',
        objects: OBJECTS,
        helmMajor: major,
        isWaiting: true,
        isAtomic: true,
        ...turnedOut,
      },
      fakeKube([]),
    )
    expect(questions.length).toBeGreaterThan(5)
    expect(questions.map(key).filter((asked) => !ahead.has(asked))).toEqual([])
  })
})

test('nothing is asked ahead without a pre-flight, for a dry run, or without a local render', async () => {
  const asked: AccessQuestion[][] = []
  const connect = (): Promise<KubeApi> => Promise.resolve(fakeKube(asked))
  askAccessAhead(releaseSpec({ isPreflight: false }), helm(4), Promise.resolve(OBJECTS), connect)
  askAccessAhead(
    releaseSpec({ isPreflight: true, isDryRun: true }),
    helm(4),
    Promise.resolve(OBJECTS),
    connect,
  )
  askAccessAhead(releaseSpec({ isPreflight: true }), helm(4), undefined, connect)
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
  expect(asked).toEqual([])
})
