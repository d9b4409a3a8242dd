import type { HelmCli } from '../../../src/helm/cli.js'
import { DEFAULT_HELM_TIMEOUTS } from '../../../src/helm/cli.js'
import { parseHistory } from '../../../src/helm/result.js'
import {
  historyOf,
  readReleaseHistory,
  readReleaseManifest,
  type ReleaseWhere,
} from '../../../src/helm/storage.js'
import type { HelmRecord } from '../../../src/kube/kube-api.js'
import { FakeRuntime } from '../../fixtures/fake-runtime.js'
import { helmRecords } from '../../fixtures/kube-recorded.js'

// helm's storage as the lab holds it (rec3: helm 3.17.3, rec4: helm 4.1.4): what the deploy reads
// itself must be what `helm history -o json` printed for the same release.

/** The records as the client returns them: the Secret's data decoded once (helm's own base64 stays). */
const recordsOf = (release: 'rec3' | 'rec4'): HelmRecord[] =>
  helmRecords[release].secrets.map((secret) => ({
    labels: secret.metadata.labels,
    release: Buffer.from(secret.data.release, 'base64').toString(),
  }))

const HELM_HISTORY = JSON.stringify([
  {
    revision: 7,
    updated: '2026-12-06T10:00:00Z',
    status: 'deployed',
    chart: 'from-helm-1.0.0',
    app_version: '1',
    description: 'Upgrade complete',
  },
])

function helmCli(runtime: FakeRuntime): HelmCli {
  runtime.onExec = () => ({ exitCode: 0, stdout: HELM_HISTORY, stderr: '' })
  return {
    binary: 'helm',
    version: { text: 'v4.1.4', major: 4, minor: 1, patch: 4 },
    env: {},
    runtime,
    timeouts: DEFAULT_HELM_TIMEOUTS,
  }
}

const where = (over: Partial<ReleaseWhere>): ReleaseWhere => ({
  release: 'rec3',
  namespace: 'rec-store',
  max: 20,
  env: {},
  connect: () => Promise.resolve({ readHelmRecords: () => Promise.resolve(recordsOf('rec3')) }),
  ...over,
})

test.each(['rec3', 'rec4'] as const)(
  '%s: the history read from its Secrets is what helm history printed',
  (release) => {
    expect(historyOf(recordsOf(release), 20)).toEqual(
      parseHistory(JSON.stringify(helmRecords[release].history)),
    )
  },
)

test('--max: the newest revisions, oldest first, whatever order the API lists them in', () => {
  const records = recordsOf('rec4').reverse()
  expect(historyOf(records, 1).map((entry) => [entry.revision, entry.status, entry.description])).toEqual([
    [2, 'deployed', 'second one'],
  ])
})

test('a record helm did not write is not guessed at: the read fails (and the deploy asks helm)', () => {
  const [first] = recordsOf('rec3')
  expect(() => historyOf([{ labels: first?.labels ?? {}, release: 'bm90IGEgcmVsZWFzZQ==' }], 20)).toThrow(
    'revision 1 is not a release helm wrote',
  )
})

test('helm default storage: read through the client, no helm process', async () => {
  const runtime = new FakeRuntime()
  const read = await readReleaseHistory(where({}), () => Promise.resolve(helmCli(runtime)))
  expect(read.entries.map((entry) => entry.revision)).toEqual([1, 2])
  expect(runtime.execs).toEqual([])
})

test.each([
  ['HELM_DRIVER=configmap', where({ env: { HELM_DRIVER: 'configmap' } })],
  ['no client', where({ connect: undefined })],
  ['a client without the call (a fake)', where({ connect: () => Promise.resolve({}) })],
  [
    'a refused list (HTTP 403)',
    where({
      connect: () => Promise.resolve({ readHelmRecords: () => Promise.reject(new Error('HTTP 403')) }),
    }),
  ],
])('%s: helm history is asked, as before', async (_case, at) => {
  const runtime = new FakeRuntime()
  const read = await readReleaseHistory(at, () => Promise.resolve(helmCli(runtime)))
  expect(read.entries.map((entry) => entry.chart)).toEqual(['from-helm-1.0.0'])
  expect(runtime.execs.map((exec) => exec.args.slice(0, 2))).toEqual([['history', 'rec3']])
})

test.each(['rec3', 'rec4'] as const)(
  "%s: a revision's manifest from its Secret is what helm get manifest printed",
  async (release) => {
    const runtime = new FakeRuntime()
    const at = where({
      release,
      connect: () => Promise.resolve({ readHelmRecords: () => Promise.resolve(recordsOf(release)) }),
    })
    expect(await readReleaseManifest(at, 2, helmCli(runtime))).toBe(helmRecords[release].manifest2)
    expect(runtime.execs).toEqual([])
  },
)

test("a manifest helm's storage cannot give (HELM_DRIVER=configmap): helm get manifest", async () => {
  const runtime = new FakeRuntime()
  const cli = helmCli(runtime)
  runtime.onExec = () => ({ exitCode: 0, stdout: 'kind: ConfigMap\n', stderr: '' })
  expect(await readReleaseManifest(where({ env: { HELM_DRIVER: 'configmap' } }), 2, cli)).toBe(
    'kind: ConfigMap\n',
  )
  expect(runtime.execs.map((exec) => exec.args.slice(0, 5))).toEqual([
    ['get', 'manifest', 'rec3', '--namespace', 'rec-store'],
  ])
})

test("an upgrade lists the release's Secrets once: the manifest comes from the records the history read", async () => {
  const runtime = new FakeRuntime()
  let listings = 0
  const at = where({
    connect: () =>
      Promise.resolve({
        readHelmRecords: () => {
          listings += 1
          return Promise.resolve(recordsOf('rec3'))
        },
      }),
  })
  const history = await readReleaseHistory(at, () => Promise.resolve(helmCli(runtime)))
  const manifest = await readReleaseManifest({ ...at, records: history.records }, 2, helmCli(runtime))
  expect({ listings, manifest, execs: runtime.execs }).toEqual({
    listings: 1,
    manifest: helmRecords.rec3.manifest2,
    execs: [],
  })
})

test('a revision the listed records lack (written since, as by a rollback of a pending release): helm get manifest', async () => {
  const runtime = new FakeRuntime()
  const cli = helmCli(runtime)
  runtime.onExec = () => ({ exitCode: 0, stdout: 'kind: ConfigMap\n', stderr: '' })
  expect(await readReleaseManifest(where({ records: recordsOf('rec3') }), 9, cli)).toBe('kind: ConfigMap\n')
  expect(runtime.execs.map((exec) => exec.args.slice(0, 2))).toEqual([['get', 'manifest']])
})
