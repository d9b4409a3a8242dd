import { takeReleaseLock } from '../../../../../src/phases/deploy/lock/take.js'
import { HOLDER_ANNOTATIONS } from '../../../../../src/phases/deploy/lock/holder.js'
import type { LockOutcome, TakeLockParams } from '../../../../../src/phases/deploy/lock/types.js'
import { ActionError } from '../../../../../src/lib/errors.js'
import { FakeKube } from '../../../../fixtures/fake-kube.js'
import { FakeLeases } from '../../../../fixtures/fake-leases.js'
import { FakeRuntime } from '../../../../fixtures/fake-runtime.js'

const LEASE = 'eks-deploy-action.api'
const OTHER_RUN = 'https://github.com/octo-org/platform/actions/runs/77'
const params = (overrides: Partial<TakeLockParams> = {}): TakeLockParams => ({
  release: 'api',
  namespace: 'shop',
  isRequired: false,
  timeoutSeconds: 600,
  leaseSeconds: 30,
  holder: {
    identity: 'octo-org/octo-repo run 42 attempt 1 job deploy 1a2b3c4d',
    repository: 'octo-org/octo-repo',
    workflow: 'deploy',
    runUrl: 'https://github.com/octo-org/octo-repo/actions/runs/42',
    attempt: '1',
    job: 'deploy',
  },
  ...overrides,
})

/** Another deploy's Lease, held by the run of the platform repository. */
function otherHolder(leases: FakeLeases): void {
  leases.put({
    name: LEASE,
    namespace: 'shop',
    holder: 'octo-org/platform run 77 attempt 2 job deploy 9f9f9f9f',
    durationSeconds: 30,
    transitions: 3,
    annotations: { [HOLDER_ANNOTATIONS.runUrl]: OTHER_RUN, [HOLDER_ANNOTATIONS.attempt]: '2' },
  })
}

async function take(leases: FakeLeases, kube = new FakeKube(), overrides: Partial<TakeLockParams> = {}) {
  const runtime = new FakeRuntime()
  const started = runtime.clock
  const outcome = await takeReleaseLock(params(overrides), { leases, kube, runtime })
  return { outcome, runtime, elapsedMs: runtime.clock - started }
}

async function release(outcome: LockOutcome): Promise<void> {
  if (outcome.kind === 'held') await outcome.lock.release()
}

describe('takeReleaseLock', () => {
  test('no Lease yet: created with this run as holder (identity and annotations), no wait', async () => {
    const leases = new FakeLeases()
    const { outcome, runtime } = await take(leases)
    expect(outcome).toMatchObject({ kind: 'held', lock: { lease: `shop/${LEASE}`, waitedMs: 0 } })
    expect(leases.leases.get(`shop/${LEASE}`)).toMatchObject({
      holder: params().holder.identity,
      durationSeconds: 30,
      annotations: {
        'eks-deploy-action/repository': 'octo-org/octo-repo',
        'eks-deploy-action/run-url': 'https://github.com/octo-org/octo-repo/actions/runs/42',
        'eks-deploy-action/run-attempt': '1',
      },
    })
    expect(runtime.sleeps).toEqual([])
    await release(outcome)
    // Released: the Lease stays, with no holder, for the next deploy to take without waiting.
    expect(leases.leases.get(`shop/${LEASE}`)?.holder).toBeUndefined()
  })

  test('the held Lease is kept for the post step until it is given up', async () => {
    const leases = new FakeLeases()
    const kept: string[] = []
    const memory = {
      hold: (lease: { namespace: string; name: string; holder: string }) => {
        kept.push(`hold ${lease.namespace}/${lease.name} ${lease.holder}`)
      },
      drop: (lease: { namespace: string; name: string; holder: string }) => {
        kept.push(`drop ${lease.namespace}/${lease.name} ${lease.holder}`)
      },
    }
    const runtime = new FakeRuntime()
    const outcome = await takeReleaseLock(params(), { leases, kube: new FakeKube(), runtime, memory })
    const identity = params().holder.identity
    expect(kept).toEqual([`hold shop/${LEASE} ${identity}`])
    await release(outcome)
    expect(kept).toEqual([`hold shop/${LEASE} ${identity}`, `drop shop/${LEASE} ${identity}`])
  })

  test('a released Lease (no holder) is taken at once, counting the transition', async () => {
    const leases = new FakeLeases()
    leases.put({
      name: LEASE,
      namespace: 'shop',
      holder: undefined,
      durationSeconds: 30,
      transitions: 4,
      annotations: {},
    })
    const { outcome } = await take(leases)
    expect(outcome.kind).toBe('held')
    expect(leases.leases.get(`shop/${LEASE}`)).toMatchObject({
      holder: params().holder.identity,
      transitions: 5,
    })
    await release(outcome)
  })

  test('held by a deploy that renews it: queued behind its run, then taken when it releases', async () => {
    const leases = new FakeLeases()
    otherHolder(leases)
    let reads = 0
    leases.beforeRead = (l) => {
      reads++
      if (reads < 12) l.renew('shop', LEASE)
      else if (reads === 12) l.put({ ...(l.leases.get(`shop/${LEASE}`) ?? fail()), holder: undefined })
    }
    const { outcome, runtime, elapsedMs } = await take(leases)
    expect(outcome.kind).toBe('held')
    const queued = runtime.logs.filter((line) => line.includes('queued behind'))
    expect(queued[0]).toBe(`Release lock shop/${LEASE}: queued behind ${OTHER_RUN} (attempt 2) (0s so far).`)
    // Said again with the time waited, not at every poll.
    expect(queued.length).toBeGreaterThan(1)
    expect(queued.length).toBeLessThan(reads)
    expect(queued.at(-1)).toMatch(/\(\d+s so far\)\.$/)
    expect(outcome.kind === 'held' && outcome.lock.waitedMs).toBe(elapsedMs)
    expect(outcome.kind === 'held' && outcome.lock.tookOverFrom).toBeUndefined()
    await release(outcome)
  })

  test('a holder that stopped renewing (a killed runner) is taken over once its lease duration has passed unchanged', async () => {
    const leases = new FakeLeases()
    otherHolder(leases)
    const { outcome, runtime, elapsedMs } = await take(leases)
    expect(outcome).toMatchObject({ kind: 'held', lock: { tookOverFrom: `${OTHER_RUN} (attempt 2)` } })
    // Judged by this runner's clock: 30 s of an unchanged Lease, not the holder's renewTime.
    expect(elapsedMs).toBeGreaterThanOrEqual(30_000)
    expect(elapsedMs).toBeLessThan(35_000)
    expect(leases.leases.get(`shop/${LEASE}`)).toMatchObject({
      holder: params().holder.identity,
      transitions: 4,
    })
    expect(runtime.logs.find((line) => line.startsWith('warning:'))).toContain(
      `took it over from ${OTHER_RUN} (attempt 2), which stopped renewing it 30s ago`,
    )
    await release(outcome)
  })

  test('still held when lock-timeout runs out: refused, naming the holder, helm never ran', async () => {
    const leases = new FakeLeases()
    otherHolder(leases)
    leases.beforeRead = (l) => {
      l.renew('shop', LEASE)
    }
    const { outcome, elapsedMs } = await take(leases, new FakeKube(), { timeoutSeconds: 15 })
    expect(outcome.kind).toBe('refused')
    const error = outcome.kind === 'refused' ? outcome.error : fail()
    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      `Release api in namespace shop is being deployed by ${OTHER_RUN} (attempt 2): waited 15s for its release lock (lock-timeout), and it still holds it. Nothing was changed: helm did not run.`,
    )
    expect(error.hint).toContain(`kubectl -n shop get lease ${LEASE} -o yaml`)
    expect(elapsedMs).toBe(15_000)
  })

  test('lock-timeout 0s: refused at once when held', async () => {
    const leases = new FakeLeases()
    otherHolder(leases)
    const { outcome, runtime } = await take(leases, new FakeKube(), { timeoutSeconds: 0 })
    expect(outcome.kind).toBe('refused')
    expect(runtime.sleeps).toEqual([])
  })

  test('two deploys create it at once: the one that lost the create (409) queues behind the other', async () => {
    const leases = new FakeLeases()
    let isFirstRead = true
    leases.beforeRead = (l) => {
      if (isFirstRead) {
        isFirstRead = false
        return
      }
      // After the lost create: the winner holds it, then releases it at the next read.
      const current = l.leases.get(`shop/${LEASE}`)
      if (current?.holder !== undefined && current.holder !== params().holder.identity)
        l.put({ ...current, holder: undefined })
    }
    const create = leases.createLease.bind(leases)
    let creates = 0
    leases.createLease = (lease) => {
      if (creates++ === 0) otherHolder(leases)
      return create(lease)
    }
    const { outcome } = await take(leases)
    expect(outcome.kind).toBe('held')
    expect(leases.writes.map((write) => write.kind)).toEqual(['create', 'replace'])
    await release(outcome)
  })

  test('the namespace does not exist yet: a first install goes ahead without the lock', async () => {
    const leases = new FakeLeases()
    leases.missingNamespaces.add('shop')
    const { outcome } = await take(leases)
    expect(outcome).toEqual({
      kind: 'unlocked',
      reason: 'namespace shop does not exist yet, so there is no release to lock: a first install',
    })
  })

  describe('an identity that may not use Leases (the admin ClusterRole grants none)', () => {
    const denyingKube = (): FakeKube => {
      const kube = new FakeKube()
      kube.isAllowed = (question) => question.resource !== 'leases'
      kube.user = 'shop-admin'
      return kube
    }

    test('lock: true warns once with the Role to grant and deploys without the lock', async () => {
      const leases = new FakeLeases()
      const kube = denyingKube()
      const { outcome, runtime } = await take(leases, kube)
      expect(outcome).toMatchObject({ kind: 'unlocked' })
      const warnings = runtime.logs.filter((line) => line.startsWith('warning:'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(
        'Kubernetes user "shop-admin" may not get, create, update leases.coordination.k8s.io in namespace shop: deploying api without the release lock',
      )
      expect(warnings[0]).toContain(
        'kubectl -n shop create role eks-deploy-action-lock --verb=get,create,update --resource=leases.coordination.k8s.io',
      )
      expect(warnings[0]).toContain(
        'kubectl -n shop create rolebinding eks-deploy-action-lock --role=eks-deploy-action-lock --user=shop-admin',
      )
      expect(leases.writes).toEqual([])
      // The access questions went out as one batch.
      expect(
        kube.asked.reviews.map((q) => `${q.verb} ${q.group} ${q.resource} ${q.namespace ?? ''}`),
      ).toEqual([
        'get coordination.k8s.io leases shop',
        'create coordination.k8s.io leases shop',
        'update coordination.k8s.io leases shop',
      ])
    })

    test('lock: required refuses before helm, with the grant', async () => {
      const leases = new FakeLeases()
      const { outcome, runtime } = await take(leases, denyingKube(), { isRequired: true })
      const error = outcome.kind === 'refused' ? outcome.error : fail()
      expect(error.message).toBe(
        'Kubernetes user "shop-admin" may not get, create, update leases.coordination.k8s.io in namespace shop, which the release lock of api needs (lock: required). Nothing was changed: helm did not run (access pre-flight).',
      )
      expect(error.hint).toContain('create rolebinding eks-deploy-action-lock')
      expect(runtime.logs.filter((line) => line.startsWith('warning:'))).toEqual([])
      expect(leases.writes).toEqual([])
    })
  })

  test('an API error: lock: true warns and deploys without the lock (as the pre-flight does), required refuses', async () => {
    const leases = new FakeLeases()
    leases.readLease = () => Promise.reject(new Error('Could not read Lease: socket hang up'))
    const { outcome, runtime } = await take(leases)
    expect(outcome).toMatchObject({ kind: 'unlocked' })
    expect(runtime.logs).toContain(
      'warning: Could not take the release lock of api in namespace shop: Could not read Lease: socket hang up. Deploying without it (lock: true; lock: required refuses instead).',
    )
    const required = await take(leases, new FakeKube(), { isRequired: true })
    const error = required.outcome.kind === 'refused' ? required.outcome.error : fail()
    expect(error.message).toBe(
      'Could not take the release lock of api in namespace shop: Could not read Lease: socket hang up. Nothing was changed: helm did not run (lock: required).',
    )
  })
})

function fail(): never {
  throw new Error('unexpected outcome')
}
