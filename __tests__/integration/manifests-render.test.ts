import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parseAllDocuments } from 'yaml'
import { makeImageRef } from '../../src/lib/image-ref.js'
import { chartFiles, writeChart } from '../../src/phases/deploy/manifests/chart.js'
import { parseManifestFile } from '../../src/phases/deploy/manifests/documents.js'
import { renderManifests } from '../../src/phases/deploy/manifests/render.js'
import type { ManifestSet } from '../../src/phases/deploy/manifests/types.js'
import {
  describeWithHelm,
  fixtureHelmBinary,
  HELM_LAYERS,
  type FixtureHelmVersion,
} from '../fixtures/helm-release.js'

const VERSIONS = Object.keys(HELM_LAYERS) as FixtureHelmVersion[]
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'

// What a Go template would eat, in every place YAML keeps text: plain, quoted, block and folded scalars,
// comments, a JSON document; and YAML 1.1 forms helm reads differently from YAML 1.2 (0644, on).
const APP = `# {{ comment }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: templates
  annotations: {note: "{{ .Release.Name }}"}
data:
  plain: x{{not-a-template}}
  quoted: '{{- trim -}} and }} and {{{ and {{"{{"}}'
  literal: |
    line one {{ .Values.a }}
      {{/* a Go comment */}}
    {{ end }}
  folded: >-
    {{ range .x }}
    {{ end }}
---
{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "json"}, "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "app", "image": "${REGISTRY}/shop/api"}], "volumes": [{"name": "v", "configMap": {"name": "templates"}}]}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: modes}
spec:
  containers: [{name: app, image: busybox, args: [on, yes, "{{x}}"]}]
  volumes: [{name: v, configMap: {name: templates, defaultMode: 0644}}]
`

let home: string
let chart: string
let set: ManifestSet
beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'manifests-render-'))
  chart = path.join(home, 'chart')
  const parsed = parseManifestFile('k8s/app.yaml', APP)
  expect(parsed.problems).toEqual([])
  set = { chartVersion: '0.0.0-g0123456', files: [{ name: 'k8s/app.yaml', objects: parsed.objects }] }
  const image = makeImageRef(REGISTRY, 'shop/api', '0123456', undefined)
  const rendered = renderManifests(set, { image, adopting: new Set() })
  await writeChart(
    chart,
    chartFiles({ name: 'web', version: set.chartVersion, appVersion: '0123456', set, texts: rendered.texts }),
  )
})
afterAll(() => fs.rm(home, { recursive: true, force: true }))

/**
 * The documents of a YAML stream read as helm's go-yaml does (YAML 1.1: 0644 octal, on/yes booleans),
 * by kind and name: helm prints them in its install order (Pods before Deployments).
 */
const read = (yaml: string): unknown[] =>
  parseAllDocuments(yaml, { version: '1.1' })
    .map((document) => document.toJS() as { kind: string; metadata: { name: string } } | null)
    .filter((value) => value !== null)
    .sort((a, b) => `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`))

describeWithHelm('a chart made of manifests, rendered by a real helm', () => {
  test.each(VERSIONS)(
    'helm %s template prints every document exactly as written (the image pinned)',
    async (version) => {
      const helm = await fixtureHelmBinary(version)
      const { stdout } = await promisify(execFile)(helm, ['template', 'web', chart, '--namespace', 'shop'], {
        env: { PATH: process.env.PATH, HOME: home },
      })
      const expected = read(APP.replace(`"${REGISTRY}/shop/api"`, `"${REGISTRY}/shop/api:0123456"`))
      expect(read(stdout)).toEqual(expected)
      expect(stdout).toContain('  quoted: \'{{- trim -}} and }} and {{{ and {{"{{"}}\'\n')
      expect(stdout).toContain(
        '  literal: |\n    line one {{ .Values.a }}\n      {{/* a Go comment */}}\n    {{ end }}\n',
      )
      expect(stdout).toContain('defaultMode: 0644')
      expect(stdout).toContain('# Source: web/templates/1-app.yaml')
    },
  )
})
