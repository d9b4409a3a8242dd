import { loadActionYaml } from '../../fixtures/action-runner.js'
import {
  ALL_WORKFLOW_FILES,
  EXAMPLE_FILES,
  readWorkflow,
  usesLines,
  WORKFLOW_FILES,
  type Job,
  type Workflow,
} from '../../fixtures/workflow-files.js'

// What actionlint does not check (workflows-lint.test.ts runs it): pinning, this action's inputs in the
// recipes (which name it as my-org/eks-deploy-action@v1, a remote action actionlint cannot read), the
// reusable workflow's inputs, and the permissions OIDC needs.

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/
const VERSION_COMMENT = /^v\d+(\.\d+){0,2}\b/
const THIS_ACTION = /^(\.\/?|[\w.-]+\/eks-deploy-action@\S+)$/
const THIS_REUSABLE_WORKFLOW = /^[\w.-]+\/eks-deploy-action\/\.github\/workflows\/deploy\.yml@\S+$/
// The recipes are written as users paste them, and the reusable workflow names the action as its callers
// name the workflow: by the major tag that release.yml moves (the docs say how to pin the commit instead).
const THIS_ACTION_AS_PASTED = 'my-org/eks-deploy-action@v1'
const isThisAction = (ref: string) =>
  ref.replace(/\/\.github\/workflows\/deploy\.yml@/, '@') === THIS_ACTION_AS_PASTED

const actionInputs = new Set(Object.keys(loadActionYaml().inputs))

interface CallableWorkflow {
  readonly on: {
    readonly workflow_call: {
      readonly inputs: Record<string, { required?: boolean }>
      readonly secrets: Record<string, { required?: boolean }>
    }
  }
}
const reusable = (readWorkflow('.github/workflows/deploy.yml') as unknown as CallableWorkflow).on
  .workflow_call

const jobsOf = (workflow: Workflow): [string, Job][] => Object.entries(workflow.jobs ?? {})

describe.each(ALL_WORKFLOW_FILES)('%s', (file) => {
  const workflow = readWorkflow(file)

  test('every action and reusable workflow from elsewhere is pinned by a full commit SHA with a version comment', () => {
    const unpinned = usesLines(file)
      .filter(({ ref }) => !ref.startsWith('./') && !ref.startsWith('docker://') && !isThisAction(ref))
      .filter(({ ref, comment }) => !SHA_PIN.test(ref) || !VERSION_COMMENT.test(comment ?? ''))
      .map(({ line, ref, comment }) => `${file}:${line} ${ref} # ${comment ?? ''}`)
    expect(unpinned).toEqual([])
  })

  test(`names this action and its reusable workflow as users paste them, ${THIS_ACTION_AS_PASTED}`, () => {
    const other = usesLines(file)
      .filter(({ ref }) => /\/eks-deploy-action[@/]/.test(ref) && !isThisAction(ref))
      .map(({ line, ref }) => `${file}:${line} ${ref}`)
    expect(other).toEqual([])
  })

  test('sets the GITHUB_TOKEN permissions at the top level, no wider than contents: read (plus id-token: write)', () => {
    expect(typeof workflow.permissions).toBe('object')
    const wider = Object.entries(workflow.permissions ?? {}).filter(
      ([scope, level]) =>
        !(scope === 'contents' && level === 'read') && !(scope === 'id-token' && level === 'write'),
    )
    expect(wider).toEqual([])
  })

  test('passes this action only inputs of action.yml, and the reusable workflow only its inputs and secrets', () => {
    for (const [name, job] of jobsOf(workflow)) {
      for (const step of job.steps ?? []) {
        if (step.uses === undefined || !THIS_ACTION.test(step.uses)) continue
        const unknown = Object.keys(step.with ?? {}).filter((input) => !actionInputs.has(input))
        expect(`${name}: ${unknown.join(', ')}`).toBe(`${name}: `)
      }
      if (job.uses === undefined || !THIS_REUSABLE_WORKFLOW.test(job.uses)) continue
      const given = Object.keys(job.with ?? {})
      const secrets =
        job.secrets === 'inherit' ? Object.keys(reusable.secrets) : Object.keys(job.secrets ?? {})
      expect(given.filter((input) => !(input in reusable.inputs))).toEqual([])
      expect(secrets.filter((secret) => !(secret in reusable.secrets))).toEqual([])
      const required = (specs: Record<string, { required?: boolean }>) =>
        Object.entries(specs).flatMap(([key, spec]) => (spec.required === true ? [key] : []))
      expect(required(reusable.inputs).filter((input) => !given.includes(input))).toEqual([])
      expect(required(reusable.secrets).filter((secret) => !secrets.includes(secret))).toEqual([])
    }
  })

  test('grants id-token: write to every job that assumes a role with OIDC', () => {
    for (const [name, job] of jobsOf(workflow)) {
      const assumes =
        (job.uses !== undefined && THIS_REUSABLE_WORKFLOW.test(job.uses)) ||
        (job.steps ?? []).some(
          (step) =>
            step.uses !== undefined &&
            THIS_ACTION.test(step.uses) &&
            step.with?.['role-to-assume'] !== undefined &&
            step.with['role-chaining'] === undefined,
        )
      if (!assumes) continue
      const permissions = job.permissions ?? workflow.permissions
      expect(
        `${name}: ${typeof permissions === 'object' ? (permissions['id-token'] ?? 'none') : 'none'}`,
      ).toBe(`${name}: write`)
    }
  })
})

// Dependabot moves the pins of .github/workflows only; the recipes follow by hand. So each group agrees
// with itself.
test.each([
  ['the workflows', WORKFLOW_FILES, (action: string) => !action.endsWith('/eks-deploy-action')],
  ['the recipes', EXAMPLE_FILES, (action: string) => !action.endsWith('/eks-deploy-action')],
])('one commit and one version of each action in %s', (_group, files, isChecked) => {
  const pins = new Map<string, Set<string>>()
  for (const file of files) {
    for (const { ref, comment } of usesLines(file)) {
      const [action, commit] = ref.split('@')
      if (action === undefined || commit === undefined) continue
      const key = action.replace(/\/\.github\/workflows\/.*$/, '')
      if (!isChecked(key)) continue
      const version = comment?.split(/\s/)[0] ?? ''
      pins.set(key, (pins.get(key) ?? new Set()).add(`${commit} # ${version}`))
    }
  }
  const inconsistent = [...pins]
    .filter(([, seen]) => seen.size > 1)
    .map(([action, seen]) => [action, [...seen]])
  expect(inconsistent).toEqual([])
})

test('the repository runs ci, e2e, release and the reusable deploy workflow', () => {
  expect(WORKFLOW_FILES).toEqual(
    expect.arrayContaining(
      ['ci.yml', 'e2e.yml', 'release.yml', 'deploy.yml'].map((f) => `.github/workflows/${f}`),
    ),
  )
  expect(Object.keys(readWorkflow('.github/workflows/deploy.yml').on as object)).toEqual(['workflow_call'])
})
