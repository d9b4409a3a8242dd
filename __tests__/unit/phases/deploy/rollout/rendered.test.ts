import {
  renderedObjects,
  templateObjects,
  workloadRefs,
} from '../../../../../src/phases/deploy/rollout/rendered.js'

const MANIFEST = [
  '---',
  '# Source: api/templates/service.yaml',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: api}',
  '---',
  '# Source: api/templates/deployment.yaml',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: api',
  '  namespace: other',
].join('\n')
const HOOK = [
  'apiVersion: batch/v1',
  'kind: Job',
  'metadata:',
  '  name: api-migrate',
  '  annotations: {"helm.sh/hook": pre-upgrade}',
].join('\n')

test('a Secret keeps no body: its data stays out of the release objects', () => {
  const [secret] = templateObjects(
    'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {password: hunter2}\n',
  )
  expect(secret).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    name: 'creds',
    namespace: undefined,
    isHook: false,
  })
})

test('renderedObjects: the manifest and the hooks of a dry run (helm keeps hooks apart)', () => {
  const objects = renderedObjects(JSON.stringify({ manifest: MANIFEST, hooks: [{ manifest: HOOK }] }))
  // Each keeps its body, for the field ownership pre-flight's dry-run apply.
  expect(objects[1]?.body).toEqual({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'other' },
  })
  expect(
    objects.map(({ apiVersion, kind, name, namespace, isHook }) => ({
      apiVersion,
      kind,
      name,
      namespace,
      isHook,
    })),
  ).toEqual([
    { apiVersion: 'v1', kind: 'Service', name: 'api', namespace: undefined, isHook: false },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', namespace: 'other', isHook: false },
    { apiVersion: 'batch/v1', kind: 'Job', name: 'api-migrate', namespace: undefined, isHook: true },
  ])
  expect(workloadRefs(objects)).toEqual([
    { kind: 'Deployment', name: 'api', isHook: false },
    { kind: 'Job', name: 'api-migrate', isHook: true },
  ])
})

test('templateObjects: one stream; hooks known by their annotation; empty documents skipped', () => {
  expect(
    templateObjects(`${MANIFEST}\n---\n${HOOK}\n---\n`).map((o) => `${o.kind}:${String(o.isHook)}`),
  ).toEqual(['Service:false', 'Deployment:false', 'Job:true'])
})

test('not a release: nothing', () => {
  expect(renderedObjects('[]')).toEqual([])
})
