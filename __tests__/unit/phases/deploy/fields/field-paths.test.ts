import { FieldOwners, jsonPathOf, ownedPaths } from '../../../../../src/phases/deploy/fields/field-paths.js'
import { recordedLive } from './recorded.js'

describe('ownedPaths', () => {
  test('names fields as the API server does in a conflict', () => {
    const set = recordedLive().managedFields.find((entry) => entry.manager === 'kubectl-set')
    expect(ownedPaths(set?.fieldsV1)).toEqual([
      '.spec.template.spec.containers[name="app"].env',
      '.spec.template.spec.containers[name="app"].env[name="LOG_LEVEL"]',
      '.spec.template.spec.containers[name="app"].env[name="LOG_LEVEL"].name',
      '.spec.template.spec.containers[name="app"].env[name="LOG_LEVEL"].value',
      '.spec.template.spec.containers[name="app"].image',
    ])
  })

  test('keys of several fields and numbers', () => {
    expect(
      ownedPaths({ 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { 'f:protocol': {} } } }),
    ).toEqual(['.ports[containerPort=8080,protocol="TCP"].protocol'])
  })
})

describe('FieldOwners', () => {
  const owners = new FieldOwners(recordedLive().managedFields)

  test.each([
    ['.spec.template.spec.containers[name="app"].image', ['kubectl-set']],
    ['.spec.replicas', ['kube-controller-manager']],
    [
      '.spec.template.spec.containers[name="app"].ports[containerPort=8080,protocol="TCP"].containerPort',
      ['helm'],
    ],
    ['.spec.paused', ['helm']],
    ['.spec.strategy', []],
  ])('%s is owned by %j', (path, managers) => {
    expect(owners.of(path).map((owner) => owner.manager)).toEqual(managers)
  })

  test('keeps when and how each manager wrote', () => {
    expect(owners.of('.spec.template.spec.containers[name="app"].image')).toEqual([
      { manager: 'kubectl-set', operation: 'Update', since: '2026-12-06T10:51:47Z' },
    ])
  })
})

test.each([
  ['.spec.replicas', '{.spec.replicas}'],
  [
    '.spec.template.spec.containers[name="app"].image',
    '{.spec.template.spec.containers[?(@.name=="app")].image}',
  ],
])('jsonPathOf(%s)', (field, path) => {
  expect(jsonPathOf(field)).toBe(path)
})
