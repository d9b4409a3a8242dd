import path from 'node:path'
import { lintWorkflow } from '../../fixtures/actionlint.js'
import { ROOT } from '../../fixtures/action-runner.js'
import { ALL_WORKFLOW_FILES } from '../../fixtures/workflow-files.js'

// actionlint 1.7.7 (rhysd/actionlint as WebAssembly) on every workflow and every recipe: YAML and schema,
// expressions and their contexts (steps.*.outputs, matrix, inputs, secrets of a workflow_call), runner
// labels, job needs, the inputs of well-known actions and of `uses: ./` (this action.yml), cron syntax.
// Not shellcheck: the WebAssembly build has none.
describe('actionlint', () => {
  test.each(ALL_WORKFLOW_FILES)('%s has no finding', async (file) => {
    const findings = await lintWorkflow(path.join(ROOT, file))
    expect(findings.map((f) => `${file}:${f.line}:${f.column} ${f.message} [${f.kind}]`)).toEqual([])
  })

  test('finds what it is relied on for: an unknown input of this action, a bad expression, an unknown runner label', async () => {
    const findings = await lintWorkflow(path.join(ROOT, '__tests__/fixtures/workflows/broken.yml'))
    expect(findings.map((f) => f.kind).sort()).toEqual(['action', 'expression', 'runner-label'])
  })
})
