import { parseDocument } from 'yaml'
import { makeImageRef } from '../../../../../src/lib/image-ref.js'
import { isRepository, pinImages } from '../../../../../src/phases/deploy/manifests/pin.js'
import { applyEdits } from '../../../../../src/phases/deploy/manifests/text-edits.js'

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const REPO = `${REGISTRY}/shop/api`
const IMAGE = makeImageRef(REGISTRY, 'shop/api', '0123abc', undefined)
const DIGEST = `sha256:${'b'.repeat(64)}`

/** The text with the image pinned, the pins, and the images as helm will read them. */
function pin(text: string, kind: string, image = IMAGE) {
  const result = pinImages(parseDocument(text), kind, 'app', image)
  const pinned = applyEdits(text, result.edits)
  return { ...result, text: pinned, value: parseDocument(pinned).toJS() as unknown }
}

describe('isRepository: the repository of ecr-repository, with any tag, none, or a digest', () => {
  test.each([
    [REPO, true],
    [`${REPO}:latest`, true],
    [`${REPO}:v1.2.3`, true],
    [`${REPO}@${DIGEST}`, true],
    [`${REPO}:old@${DIGEST}`, true],
    [`${REGISTRY.toUpperCase()}/shop/api:1`, true],
    [`${REGISTRY}/shop/api-worker:1`, false],
    [`${REGISTRY}/shop/api/sub:1`, false],
    [`${REGISTRY}/shop:api`, false],
    ['210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1', false],
    ['shop/api:1', false],
    ['docker.io/library/nginx:1.27', false],
    [`localhost:5000/shop/api:1`, false],
  ])('%s: %s', (reference, expected) => {
    expect(isRepository(reference, IMAGE)).toBe(expected)
  })
})

describe('pinImages', () => {
  test('a Deployment: containers and init containers of the repository pinned, another registry untouched', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      initContainers:',
      `        - {name: migrate, image: ${REPO}}`,
      '      containers:',
      '        - name: app',
      `          image: "${REPO}:latest"   # the tag the action replaces`,
      '        - name: proxy',
      '          image: public.ecr.aws/nginx/nginx:1.27',
      '',
    ].join('\n')
    const result = pin(text, 'Deployment')
    expect(result.pinned).toEqual([
      { object: 'Deployment/app', container: 'migrate', from: REPO, to: `${REPO}:0123abc` },
      { object: 'Deployment/app', container: 'app', from: `${REPO}:latest`, to: `${REPO}:0123abc` },
    ])
    expect(result.matched).toBe(2)
    expect(result.text).toContain(
      '          image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:0123abc"   # the tag the action replaces\n',
    )
    expect(result.text).toContain('        - name: proxy\n          image: public.ecr.aws/nginx/nginx:1.27\n')
    expect(result.value).toMatchObject({
      spec: {
        template: {
          spec: {
            initContainers: [{ image: `${REPO}:0123abc` }],
            containers: [{}, { image: 'public.ecr.aws/nginx/nginx:1.27' }],
          },
        },
      },
    })
  })

  test('a known digest pins <tag>@<digest>, over a digest written before', () => {
    const text = `kind: Pod\nspec:\n  containers:\n  - name: app\n    image: ${REPO}@sha256:${'a'.repeat(64)}\n`
    const result = pin(text, 'Pod', makeImageRef(REGISTRY, 'shop/api', '0123abc', DIGEST))
    expect(result.value).toEqual({
      kind: 'Pod',
      spec: { containers: [{ name: 'app', image: `${REPO}:0123abc@${DIGEST}` }] },
    })
  })

  test.each([
    ['Job', 'batch/v1', 'spec:\n  template:\n    spec:\n'],
    ['CronJob', 'batch/v1beta1', 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n'],
    ['CronJob', 'batch/v1', 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n'],
    ['StatefulSet', 'apps/v1', 'spec:\n  template:\n    spec:\n'],
    ['DaemonSet', 'apps/v1', 'spec:\n  template:\n    spec:\n'],
    ['ReplicaSet', 'apps/v1', 'spec:\n  template:\n    spec:\n'],
  ])('%s (%s): the pod template found where the kind keeps it', (kind, apiVersion, path) => {
    const indent = ' '.repeat(path.split('\n').length * 2 - 2)
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\n${path}${indent}containers:\n${indent}- name: job\n${indent}  image: ${REPO}:v1\n`
    const result = pin(text, kind)
    expect(result.pinned).toEqual([
      { object: `${kind}/app`, container: 'job', from: `${REPO}:v1`, to: `${REPO}:0123abc` },
    ])
    expect(result.text).toContain(`image: "${REPO}:0123abc"`)
  })

  test("an image already at this run's tag counts as matched but is not listed; other kinds are not searched", () => {
    const current = `kind: Pod\nspec:\n  containers: [{name: app, image: "${REPO}:0123abc"}]\n`
    expect(pin(current, 'Pod')).toMatchObject({ pinned: [], matched: 1, edits: [] })
    const configMap = `kind: ConfigMap\ndata:\n  image: ${REPO}:v1\nspec:\n  containers: [{name: app, image: "${REPO}:v1"}]\n`
    expect(pin(configMap, 'ConfigMap')).toMatchObject({ pinned: [], matched: 0, text: configMap })
  })

  test('no repository at all: nothing matched, the text untouched', () => {
    const text =
      'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - {name: web, image: nginx}\n'
    expect(pin(text, 'Deployment')).toMatchObject({ pinned: [], matched: 0, text })
  })
})
