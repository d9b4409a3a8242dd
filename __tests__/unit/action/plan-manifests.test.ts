import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { planPhases } from '../../../src/action/plan.js'
import { ActionError } from '../../../src/lib/errors.js'
import { inputsFrom } from '../../fixtures/parsed-inputs.js'
import { ANY_PATH_EXISTS } from '../../fixtures/plan-files.js'

const NO_PAYLOAD = {
  readEventPayload: () => Promise.reject(new Error('the payload is not needed here')),
  files: ANY_PATH_EXISTS,
}
const SHA = '0123456789abcdef0123456789abcdef01234567'

let workspace: string
beforeAll(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'plan-manifests-'))
  await fs.mkdir(path.join(workspace, 'k8s'))
  await fs.writeFile(
    path.join(workspace, 'k8s', 'web.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
  )
  await fs.writeFile(
    path.join(workspace, 'k8s', 'system.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: kube-system}\n',
  )
})
afterAll(() => fs.rm(workspace, { recursive: true, force: true }))

const planOf = (values: Record<string, string>) =>
  planPhases(
    inputsFrom(
      { 'cluster-name': 'prod', release: 'web', namespace: 'shop', ...values },
      { workspace, sha: SHA },
    ),
    NO_PAYLOAD,
  )

describe('the plan with manifests', () => {
  test('deploy runs (release and manifests are its inputs); the source is the manifests, read from the checkout', async () => {
    const plan = await planOf({ manifests: 'k8s/web.yaml' })
    expect(plan.deploy?.source).toEqual({
      kind: 'manifests',
      manifests: {
        chartVersion: '0.0.0-g0123456',
        files: [
          {
            name: 'k8s/web.yaml',
            objects: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                name: 'web',
                namespace: undefined,
                text: 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
                source: 'k8s/web.yaml, document 1',
              },
            ],
          },
        ],
      },
    })
    expect(plan.deploy?.spec).toMatchObject({ release: 'web', namespace: 'shop' })
    expect(plan.deploy?.spec).not.toHaveProperty('chart')
    expect(plan.kubeconfig).toBeDefined()
  })

  test('a bad manifest fails the plan, before any phase runs', async () => {
    const error = await planOf({ manifests: 'k8s/' }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toContain("names namespace 'kube-system', but the release is in 'shop'")
  })

  test('without phase deploy the manifests are not read', async () => {
    const plan = await planOf({ manifests: 'k8s/', phases: 'kubeconfig' })
    expect(plan.deploy).toBeUndefined()
  })
})
