import { parseDocument } from 'yaml'
import { annotationEdit } from '../../../../../src/phases/deploy/manifests/annotate.js'
import { applyEdits } from '../../../../../src/phases/deploy/manifests/text-edits.js'

const KEY = 'helm.sh/resource-policy'

function annotate(text: string) {
  const edit = annotationEdit(parseDocument(text), text, KEY, 'keep')
  const result = edit === undefined ? text : applyEdits(text, [edit])
  return { edit, result, value: parseDocument(result).toJS() as { metadata: { annotations?: object } } }
}

describe('annotationEdit: an annotation added where the text keeps its metadata', () => {
  test.each([
    [
      'block metadata without annotations',
      'kind: A\nmetadata:\n  name: a\n  labels: {x: y}\n',
      'kind: A\nmetadata:\n  "annotations": {"helm.sh/resource-policy": "keep"}\n  name: a\n  labels: {x: y}\n',
    ],
    [
      'block annotations',
      'kind: A\nmetadata:\n    name: a\n    annotations:\n      team: web\n',
      'kind: A\nmetadata:\n    name: a\n    annotations:\n      "helm.sh/resource-policy": "keep"\n      team: web\n',
    ],
    [
      'flow metadata',
      'kind: A\nmetadata: {name: a}\n',
      'kind: A\nmetadata: {"annotations": {"helm.sh/resource-policy": "keep"}, name: a}\n',
    ],
    [
      'flow annotations',
      'kind: A\nmetadata:\n  name: a\n  annotations: {team: web}\n',
      'kind: A\nmetadata:\n  name: a\n  annotations: {"helm.sh/resource-policy": "keep", team: web}\n',
    ],
    [
      'JSON',
      '{"kind": "A", "metadata": {"name": "a"}}\n',
      '{"kind": "A", "metadata": {"annotations": {"helm.sh/resource-policy": "keep"}, "name": "a"}}\n',
    ],
  ])('%s', (_, text, expected) => {
    const { result, value } = annotate(text)
    expect(result).toBe(expected)
    expect(value.metadata.annotations).toMatchObject({ [KEY]: 'keep' })
  })

  test.each([
    ['already there', `kind: A\nmetadata:\n  name: a\n  annotations: {"${KEY}": keep}\n`],
    ['an empty annotations mapping', 'kind: A\nmetadata:\n  name: a\n  annotations: {}\n'],
    ['a null annotations', 'kind: A\nmetadata:\n  name: a\n  annotations:\n'],
    ['no metadata mapping', 'kind: A\nmetadata: x\n'],
  ])('left alone: %s', (_, text) => {
    expect(annotate(text).edit).toBeUndefined()
  })
})
