import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DROP_REPLICAS_PLUGIN, dropReplicas, dropReplicasArgs } from '../../../src/helm/drop-replicas.js'

const MANIFEST = `---
# Source: demo/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels: { app: demo }
---
# Source: demo/templates/worker.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: 3
`

test('drops .spec.replicas of exactly the named objects; the rest as helm wrote it', () => {
  const out = dropReplicas(MANIFEST, ['Deployment/demo'])
  expect(out).not.toMatch(/replicas: 2/)
  expect(out).toContain('replicas: 3')
  expect(out).toContain('# Source: demo/templates/deployment.yaml')
  expect(out).toContain('matchLabels: { app: demo }')
  expect(dropReplicas(MANIFEST, [])).toContain('replicas: 2')
})

test('Helm 4: a postrenderer/v1 plugin in the step’s own HELM_PLUGINS, run by this node', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drop-'))
  try {
    const where = { dir, node: '/opt/node/bin/node', entry: '/action/dist/post-render/index.js' }
    const four = await dropReplicasArgs(['Deployment/demo'], where)
    expect(four).toEqual({
      args: ['--post-renderer', DROP_REPLICAS_PLUGIN, '--post-renderer-args', 'Deployment/demo'],
      env: { HELM_PLUGINS: path.join(dir, 'plugins') },
    })
    const plugin = JSON.parse(
      await fs.readFile(path.join(dir, 'plugins', DROP_REPLICAS_PLUGIN, 'plugin.yaml'), 'utf8'),
    ) as Record<string, unknown>
    expect(plugin).toMatchObject({
      type: 'postrenderer/v1',
      runtime: 'subprocess',
      runtimeConfig: { platformCommand: [{ command: where.node, args: [where.entry] }] },
    })
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
})
