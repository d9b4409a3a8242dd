import { ActionError } from '../../../../../src/lib/errors.js'
import { replicasDropRun } from '../../../../../src/phases/deploy/fields/index.js'
import type { FieldConflict, FieldReport } from '../../../../../src/phases/deploy/fields/types.js'

const REPLICAS: FieldConflict = {
  kind: 'Deployment',
  name: 'demo',
  namespace: 'shop',
  field: '.spec.replicas',
  manager: 'kube-controller-manager',
  operation: 'Update',
  since: '',
  autoscaler: 'HorizontalPodAutoscaler demo',
}
const REPORT: FieldReport = {
  mode: 'auto',
  helmMajor: 4,
  checked: 3,
  conflicts: [REPLICAS],
  drift: [],
  decision: { kind: 'take-over', taken: [], dropped: [REPLICAS] },
  problems: [],
}

test('nothing to drop, or Helm 3: no post-renderer, nothing written', async () => {
  const none = { args: [], env: {} }
  expect(await replicasDropRun(4, { ...REPORT, decision: { kind: 'take-over', taken: [] } }, {}, [])).toEqual(
    none,
  )
  expect(await replicasDropRun(3, REPORT, {}, [])).toEqual(none)
  expect(await replicasDropRun(4, undefined, {}, [])).toEqual(none)
})

test('a post-renderer of the user’s own in helm-args: refused before helm runs, naming the autoscaler', async () => {
  const refusal = await replicasDropRun(4, REPORT, {}, ['--post-renderer=kustomize'])
  expect(refusal).toBeInstanceOf(ActionError)
  expect(refusal instanceof ActionError ? refusal.message : '').toContain(
    'field-conflicts: auto leaves .spec.replicas of Deployment/demo to HorizontalPodAutoscaler demo',
  )
})
