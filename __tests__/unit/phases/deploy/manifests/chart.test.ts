import { parse } from 'yaml'
import { chartFiles, escapeTemplate } from '../../../../../src/phases/deploy/manifests/chart.js'
import type { ManifestSet } from '../../../../../src/phases/deploy/manifests/types.js'

const object = (file: string, name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  name,
  namespace: undefined,
  text: `kind: ConfigMap\nmetadata: {name: ${name}}\n`,
  source: `${file}, document 1`,
})

describe('escapeTemplate: Go templates print the manifest exactly as written', () => {
  test.each([
    ['no braces', 'no braces'],
    ['a: "{{ .Values.x }}"', 'a: "{{"{{"}} .Values.x }}"'],
    ['{{- trim -}}', '{{"{{"}}- trim -}}'],
    ['{{{', '{{"{{"}}{'],
    ['{{{{', '{{"{{"}}{{"{{"}}'],
    ['}} alone', '}} alone'],
    ['{{"{{"}}', '{{"{{"}}"{{"{{"}}"}}'],
    ['|\n  line {{ one }}\n  {{/* two */}}\n', '|\n  line {{"{{"}} one }}\n  {{"{{"}}/* two */}}\n'],
  ])('%j', (text, escaped) => {
    expect(escapeTemplate(text)).toBe(escaped)
  })
})

describe('chartFiles', () => {
  const set: ManifestSet = {
    chartVersion: '0.0.0-g0123abc',
    files: Array.from({ length: 10 }, (_, index) => ({
      name: `k8s/${index === 0 ? 'z app.yaml' : `f${index}.yml`}`,
      objects:
        index === 0
          ? [object('a', 'one'), object('a', 'two')]
          : index === 3
            ? []
            : [object(`f${index}`, `c${index}`)],
    })),
  }
  const texts = set.files.map((file) => file.objects.map((o) => `${o.text.trimEnd()} # {{x}}\n`))

  test('Chart.yaml: apiVersion v2, the release name, the commit version, the image tag as appVersion', () => {
    const files = chartFiles({ name: 'web', version: set.chartVersion, appVersion: '1234567', set, texts })
    expect(parse(files['Chart.yaml'] ?? '')).toMatchObject({
      apiVersion: 'v2',
      name: 'web',
      version: '0.0.0-g0123abc',
      appVersion: '1234567',
      type: 'application',
    })
    expect(
      parse(chartFiles({ name: 'web', version: 'v', appVersion: undefined, set, texts })['Chart.yaml'] ?? ''),
    ).not.toHaveProperty('appVersion')
  })

  test('one template per file, numbered so that name order is the set order; documents joined by ---; escaped', () => {
    const files = chartFiles({ name: 'web', version: '0.0.0-local', appVersion: undefined, set, texts })
    const templates = Object.keys(files).filter((name) => name.startsWith('templates/'))
    expect(templates).toEqual([
      'templates/01-z-app.yaml',
      'templates/02-f1.yaml',
      'templates/03-f2.yaml',
      'templates/05-f4.yaml',
      'templates/06-f5.yaml',
      'templates/07-f6.yaml',
      'templates/08-f7.yaml',
      'templates/09-f8.yaml',
      'templates/10-f9.yaml',
    ])
    expect([...templates].sort()).toEqual(templates)
    expect(files['templates/01-z-app.yaml']).toBe(
      'kind: ConfigMap\nmetadata: {name: one} # {{"{{"}}x}}\n---\nkind: ConfigMap\nmetadata: {name: two} # {{"{{"}}x}}\n',
    )
  })
})
