import { decodeSavedLeases, releaseSavedLease, type SavedLease } from '../../../src/kube/saved-lease.js'
import { FakeLeases } from '../../fixtures/fake-leases.js'

const OURS = 'octo-org/octo-repo run 42 attempt 1 job deploy 1a2b3c4d'
const saved: SavedLease = {
  namespace: 'shop',
  name: 'eks-deploy-action.api',
  holder: OURS,
  kubeconfigPath: '/runner/temp/eks-kubeconfig-x/config',
  execEnvFile: '/runner/temp/eks-helm-x/lock-signing-env.json',
}
const lease = (holder: string | undefined) => ({
  name: saved.name,
  namespace: saved.namespace,
  holder,
  durationSeconds: 30,
  transitions: 2,
  annotations: { 'eks-deploy-action/run-url': 'https://github.com/octo-org/octo-repo/actions/runs/42' },
})

describe('releaseSavedLease (the post step after a cancel)', () => {
  test('still held by this run: given up, its annotations and transitions kept', async () => {
    const leases = new FakeLeases()
    leases.put(lease(OURS))
    expect(await releaseSavedLease(leases, saved, 1_000)).toBe('released')
    expect(leases.leases.get(`shop/${saved.name}`)).toMatchObject({ ...lease(undefined) })
  })

  test.each([
    [
      'another deploy took it over',
      lease('octo-org/platform run 77 attempt 1 job deploy 9f9f9f9f'),
      'held by another',
    ],
    ['nobody holds it', lease(undefined), 'free'],
  ] as const)('%s: left as it is', async (_name, current, fate) => {
    const leases = new FakeLeases()
    leases.put(current)
    expect(await releaseSavedLease(leases, saved, 1_000)).toBe(fate)
    expect(leases.writes).toEqual([])
  })

  test('gone (the namespace deleted): nothing to do', async () => {
    expect(await releaseSavedLease(new FakeLeases(), saved, 1_000)).toBe('gone')
  })

  test('another deploy writes between the read and the release: its write stands (HTTP 409)', async () => {
    const leases = new FakeLeases()
    leases.put(lease(OURS))
    // The takeover lands between this run's read and its update.
    const racing = {
      readLease: async (namespace: string, name: string) => {
        const read = await leases.readLease(namespace, name)
        leases.put(lease('octo-org/platform run 77 attempt 1 job deploy 9f9f9f9f'))
        return read
      },
      createLease: leases.createLease.bind(leases),
      replaceLease: leases.replaceLease.bind(leases),
    }
    expect(await releaseSavedLease(racing, saved, 1_000)).toBe('held by another')
    expect(leases.leases.get(`shop/${saved.name}`)?.holder).toContain('octo-org/platform')
  })
})

test('decodeSavedLeases keeps only leases of the saved shape', () => {
  expect(
    decodeSavedLeases([
      saved,
      { namespace: 'a', name: 'b', holder: 'c' },
      { namespace: 'a', name: 'b', holder: '' },
      { namespace: 'a', name: 1, holder: 'c' },
      'text',
      null,
    ]),
  ).toEqual([
    saved,
    { namespace: 'a', name: 'b', holder: 'c', kubeconfigPath: undefined, execEnvFile: undefined },
  ])
  expect(decodeSavedLeases({})).toEqual([])
})
