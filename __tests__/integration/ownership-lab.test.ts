import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ActionRun } from '../fixtures/action-runner.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { startLabDeployer, type LabDeployer } from '../fixtures/lab-deploy.js'

// Issue 21, items 1 and 2: a release owns only what it proves it owns. Each scenario runs the bundled
// action against the lab with real helm; the checkout (GITHUB_WORKSPACE) is a directory of its own.

const VERSIONS: FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']
const major = (version: FixtureHelmVersion): string => version.slice(1, 2)
const errorLine = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''
const configMap = (name: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`
const CLUSTER_ROLE = (name: string, verbs: string): string =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules:\n  - apiGroups: [""]\n    resources: ["configmaps"]\n    verbs: [${verbs}]\n`

describeWithLab('ownership proven, YAML read as the cluster reads it (bundled action, real helm)', (lab) => {
  let lab$: LabDeployer
  let checkout: string
  beforeAll(async () => {
    lab$ = await startLabDeployer(lab, 'own')
    checkout = await fs.mkdtemp(path.join(os.tmpdir(), 'own-checkout-'))
  }, 120_000)
  afterAll(async () => {
    await lab$.stop()
    await fs.rm(checkout, { recursive: true, force: true })
  })

  /** Writes the manifests into a folder of the checkout and deploys it as release `web`. */
  const deploy = async (
    version: FixtureHelmVersion,
    namespace: string,
    files: Record<string, string>,
    extra: Record<string, string> = {},
  ): Promise<ActionRun> => {
    const dir = path.join(checkout, namespace)
    await fs.mkdir(dir, { recursive: true })
    for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text)
    return lab$.deploy(
      version,
      namespace,
      { release: 'web', chart: '', set: '', manifests: namespace, 'require-image': 'false', ...extra },
      { env: { GITHUB_WORKSPACE: checkout } },
    )
  }
  const kubectl = (...args: string[]): Promise<string> => labCommand(lab, lab.kubectl, args)

  test.concurrent.each(VERSIONS)(
    '%s: a merge key in metadata cannot land an object in another namespace',
    async (version) => {
      const namespace = lab$.namespace(`merge-h${major(version)}`)
      const other = `${namespace}-other`
      await kubectl('create', 'namespace', other)
      const run = await deploy(version, namespace, {
        'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {<<: {namespace: ${other}}, name: x}\ndata: {a: "1"}\n`,
      })
      expect(run.exitCode).toBe(1)
      expect(errorLine(run)).toContain(
        `${namespace}/cm.yaml, document 1: has a YAML merge key (<<) in metadata`,
      )
      expect(await kubectl('get', 'configmaps', '-n', other, '-o', 'name')).not.toContain('configmap/x')
      expect(await lab$.releaseStatus(namespace, 'web')).toBeUndefined()
    },
    120_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: a Namespace in the manifests is refused; an operator ClusterRole is never taken over',
    async (version) => {
      const namespace = lab$.namespace(`ns-h${major(version)}`)
      const refused = await deploy(version, namespace, {
        'namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`,
        'cm.yaml': configMap('settings'),
      })
      expect(refused.exitCode).toBe(1)
      expect(errorLine(refused)).toContain(
        `Namespace/${namespace} is a Namespace, which a release never owns`,
      )
      expect(await lab$.releaseStatus(namespace, 'web')).toBeUndefined()

      // An operator's ClusterRole, made with kubectl apply: the release may not take it, nor rewrite it.
      const role = `${namespace}-operator`
      const rolePath = path.join(checkout, `${role}.yaml`)
      await fs.writeFile(rolePath, CLUSTER_ROLE(role, '"get"'))
      await kubectl('apply', '-f', rolePath)
      await fs.rm(path.join(checkout, namespace, 'namespace.yaml'))
      const taken = await deploy(version, namespace, { 'role.yaml': CLUSTER_ROLE(role, '"*"') })
      expect(taken.exitCode).toBe(1)
      expect(errorLine(taken)).toContain(
        `ClusterRole/${role} (${namespace}/role.yaml, document 1) is cluster-scoped and exists without release 'web' (kubectl made it): never taken over`,
      )
      expect(await kubectl('get', 'clusterrole', role, '-o', 'jsonpath={.rules[0].verbs}')).toBe('["get"]')
      expect(
        await kubectl(
          'get',
          'clusterrole',
          role,
          '-o',
          'jsonpath={.metadata.annotations.meta\\.helm\\.sh/release-name}',
        ),
      ).toBe('')
      await kubectl('delete', 'clusterrole', role)
    },
    300_000,
  )

  test.concurrent.each(VERSIONS)(
    '%s: uninstall with delete-namespace keeps a namespace that holds another release and a kubectl-made object, naming them',
    async (version) => {
      const namespace = lab$.namespace(`share-h${major(version)}`)
      const newRole = `${namespace}-reader`
      const first = await deploy(version, namespace, {
        'cm.yaml': configMap('web'),
        'role.yaml': CLUSTER_ROLE(newRole, '"get"'),
      })
      expect({ exitCode: first.exitCode, error: errorLine(first) }).toEqual({ exitCode: 0, error: '' })
      expect(first.stdout).toContain(
        `::notice::Cluster-scoped objects in the manifests, to be applied by release web`,
      )
      expect(first.summary).toContain(`| Cluster-scoped | ClusterRole/${newRole} |`)
      // Another release whose record helm's configmap driver keeps (owner=helm), and an object kubectl made.
      await kubectl(
        'create',
        'configmap',
        'sh.helm.release.v1.cache.v1',
        '-n',
        namespace,
        '--from-literal=release=x',
      )
      await kubectl(
        'label',
        'configmap',
        'sh.helm.release.v1.cache.v1',
        '-n',
        namespace,
        'owner=helm',
        'name=cache',
      )
      await kubectl('create', 'configmap', 'settings', '-n', namespace, '--from-literal=a=b')

      const teardown = await lab$.deploy(version, namespace, {
        release: 'web',
        chart: '',
        set: '',
        uninstall: 'true',
        'delete-namespace': 'true',
      })
      expect(teardown.exitCode).toBe(1)
      expect(errorLine(teardown)).toContain(
        `delete-namespace: namespace ${namespace} still holds helm releases cache (ConfigMap storage)`,
      )
      expect(errorLine(teardown)).toContain('objects helm did not make for this release: ConfigMap/settings')
      expect(teardown.outputs['release-status']).toBe('uninstalled')
      expect(await kubectl('get', 'configmap', 'settings', '-n', namespace, '-o', 'name')).toBe(
        'configmap/settings\n',
      )
      expect(await kubectl('get', 'clusterrole', newRole, '--ignore-not-found', '-o', 'name')).toBe('')
    },
    400_000,
  )
})
