import { describeFieldReport, fieldReportMarkdown } from '../../../../../src/phases/deploy/fields/markdown.js'
import type { FieldConflict, FieldReport } from '../../../../../src/phases/deploy/fields/types.js'

const CONFLICT: FieldConflict = {
  kind: 'Deployment',
  name: 'demo',
  namespace: 'shop',
  field: '.spec.template.spec.containers[name="app"].image',
  manager: 'kubectl-set',
  operation: 'Update',
  since: '2026-12-06T13:00:00Z',
  autoscaler: undefined,
}
const report = (overrides: Partial<FieldReport> = {}): FieldReport => ({
  mode: 'auto',
  helmMajor: 4,
  checked: 3,
  conflicts: [CONFLICT],
  drift: [],
  decision: { kind: 'take-over', taken: [CONFLICT] },
  problems: [],
  ...overrides,
})

test('a deploy says the fields were taken over, a dry run that they would be', () => {
  expect(describeFieldReport(report())).toBe(
    '1 conflict, 0 drifted fields in 3 objects; taken over (field-conflicts: auto, --force-conflicts)',
  )
  expect(describeFieldReport(report({ isDryRun: true }))).toBe(
    '1 conflict, 0 drifted fields in 3 objects; would be taken over (field-conflicts: auto, --force-conflicts)',
  )
  expect(fieldReportMarkdown(report({ isDryRun: true }), 'demo')).toContain('would be taken over')
})

test('replicas an autoscaler sets: left to it, the chart’s value dropped (would be, in a dry run)', () => {
  const replicas: FieldConflict = {
    ...CONFLICT,
    field: '.spec.replicas',
    manager: 'kube-controller-manager',
    autoscaler: 'HorizontalPodAutoscaler demo',
  }
  const decision = { kind: 'take-over', taken: [CONFLICT], dropped: [replicas] } as const
  expect(describeFieldReport(report({ conflicts: [CONFLICT, replicas], decision }))).toBe(
    "2 conflicts, 0 drifted fields in 3 objects; 1 taken over (field-conflicts: auto, --force-conflicts); .spec.replicas of Deployment/demo left to its autoscaler (the chart's value dropped)",
  )
  expect(
    describeFieldReport(
      report({ conflicts: [replicas], decision: { ...decision, taken: [] }, isDryRun: true }),
    ),
  ).toBe(
    "1 conflict, 0 drifted fields in 3 objects; .spec.replicas of Deployment/demo would be left to its autoscaler (the chart's value dropped)",
  )
})
