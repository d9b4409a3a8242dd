import { ACTION_INPUTS } from '../../../src/inputs/input-names.js'
import { editDistance, suggestInputs, unknownInputProblems } from '../../../src/inputs/unknown.js'
import { readActionInputs } from '../../../scripts/input-names.mjs'
import { inputProblems, inputsFrom } from '../../fixtures/parsed-inputs.js'

/** The environment the runner gives for these `with:` keys: INPUT_<upper-cased, spaces to _>. */
const envOf = (...keys: string[]): Record<string, string> =>
  Object.fromEntries(keys.map((key) => [`INPUT_${key.replace(/ /g, '_').toUpperCase()}`, 'x']))

describe('the input names', () => {
  test("are action.yml's, with their phase tags (run `node scripts/input-names.mjs` after changing it)", () => {
    expect(ACTION_INPUTS).toEqual(readActionInputs())
  })

  test('the phase of each is read from its description, plan for phases, deprecated from deprecationMessage', () => {
    const text = [
      'inputs:',
      '  phases: { description: Which phases run. }',
      "  cluster-name: { description: '[kubeconfig] EKS cluster name.' }",
      "  old: { description: '[github] Old name.', deprecationMessage: Renamed. }",
    ].join('\n')
    expect(readActionInputs(text)).toEqual([
      { name: 'phases', phase: 'plan', isDeprecated: false },
      { name: 'cluster-name', phase: 'kubeconfig', isDeprecated: false },
      { name: 'old', phase: 'github', isDeprecated: true },
    ])
  })
})

describe('an INPUT_* variable that names no input of action.yml', () => {
  test.each([
    ['ecr_repository', "Unknown input 'ecr_repository': did you mean 'ecr-repository'?"],
    ['cluster_name', "Unknown input 'cluster_name': did you mean 'cluster-name'?"],
    ['Cluster_Name', "Unknown input 'cluster_name': did you mean 'cluster-name'?"],
    ['cluster name', "Unknown input 'cluster_name': did you mean 'cluster-name'?"],
    ['relase', "Unknown input 'relase': did you mean 'release'?"],
    ['namspace', "Unknown input 'namspace': did you mean 'namespace'?"],
    ['clustername', "Unknown input 'clustername': did you mean 'cluster-name'?"],
    ['ecr-reopsitory', "Unknown input 'ecr-reopsitory': did you mean 'ecr-repository'?"],
    ['role-to-asume', "Unknown input 'role-to-asume': did you mean 'role-to-assume'?"],
    ['value-files', "Unknown input 'value-files': did you mean 'values-files'?"],
    ['region', "Unknown input 'region': did you mean 'aws-region'?"],
    ['role-arn', "Unknown input 'role-arn': did you mean 'role-to-assume'?"],
    ['repository', "Unknown input 'repository': did you mean 'ecr-repository'?"],
    ['helm-versions', "Unknown input 'helm-versions': did you mean 'helm-version'?"],
    ['chart-repo', "Unknown input 'chart-repo': did you mean 'chart-repository'?"],
    [
      'repo',
      "Unknown input 'repo': did you mean one of 'ecr-repository', 'verify-repository', 'chart-repository', 'image-repository-key'?",
    ],
    // The old name of deployment-environment is still read: a slip of it points at the new name.
    ['enviroment', "Unknown input 'enviroment': did you mean 'deployment-environment'?"],
    [
      'deployment_environment',
      "Unknown input 'deployment_environment': did you mean 'deployment-environment'?",
    ],
  ])('%s', (key, problem) => {
    expect(unknownInputProblems(envOf(key))).toEqual([problem])
  })

  test('nothing close: the inputs of the nearest phase', () => {
    const [problem] = unknownInputProblems(envOf('helm-debug-output'))
    expect(problem).toBe(
      "Unknown input 'helm-debug-output': no input of this action is close. The inputs of phase deploy are: " +
        `${ACTION_INPUTS.filter((input) => input.phase === 'deploy')
          .map((input) => input.name)
          .join(', ')} (action.yml lists all of them).`,
    )
  })

  test('every input of action.yml, as the runner names it, is known; a case slip cannot be told apart', () => {
    const env = envOf(...ACTION_INPUTS.map((input) => input.name), 'Ecr-Repository', 'CLUSTER-NAME')
    expect(unknownInputProblems(env)).toEqual([])
  })

  test('other variables are not inputs: lower-case input_, INPUTS_, a bare INPUT', () => {
    expect(unknownInputProblems({ input_foo: 'x', INPUTS_FOO: 'x', INPUT: 'x', PATH: '/bin' })).toEqual([])
  })

  test('a value is never quoted (it may be a secret under a misspelled name)', () => {
    const problems = unknownInputProblems({ INPUT_GITHUB_TOKN: 'ghs_secret' })
    expect(problems).toEqual(["Unknown input 'github_tokn': did you mean 'github-token'?"])
  })

  test('parseInputs reports them first, with every other problem, before anything runs', () => {
    const message = inputProblems({ release: 'Bad_Name' }, { env: envOf('ecr_repository', 'cluster_name') })
    expect(message.split('\n')).toEqual([
      'Invalid inputs:',
      "- Unknown input 'cluster_name': did you mean 'cluster-name'?",
      "- Unknown input 'ecr_repository': did you mean 'ecr-repository'?",
      expect.stringContaining("- Input 'release': must be a Helm release name"),
    ])
  })

  test('the hint says where an INPUT_ variable comes from', () => {
    try {
      inputsFrom({}, { env: envOf('relase') })
    } catch (error) {
      expect((error as { hint?: string }).hint).toContain(
        'Every INPUT_* variable of the step reaches the action',
      )
      return
    }
    throw new Error('parseInputs accepted an unknown input')
  })
})

describe('suggestInputs and editDistance', () => {
  test.each([
    ['release', 'relase', 1],
    ['ecr-repository', 'ecr-reopsitory', 1],
    ['namespace', 'namspace', 1],
    ['abc', 'cba', 2],
    ['', 'set', 3],
  ])('%s ↔ %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })

  test('a short name is allowed one slip only: tag is not set', () => {
    expect(suggestInputs('sat', ACTION_INPUTS)).toEqual(['set'])
    expect(suggestInputs('tga', ACTION_INPUTS)).toEqual([])
  })
})

describe('deployment-environment, formerly environment', () => {
  const DEPLOYMENT = { 'github-deployment': 'true', 'github-token': 't' }
  test('the new name', () => {
    const inputs = inputsFrom({ ...DEPLOYMENT, 'deployment-environment': 'production' })
    expect([inputs.github.environment, inputs.warnings]).toEqual(['production', []])
  })

  test('the old name still works, with a warning', () => {
    const inputs = inputsFrom({ ...DEPLOYMENT, environment: 'production' })
    expect(inputs.github.environment).toBe('production')
    expect(inputs.warnings).toEqual([
      "Input 'environment': is deprecated: rename it to 'deployment-environment' (same value). The old name will be removed. Received: 'production'.",
    ])
  })

  test('the old name is the one a problem names', () => {
    expect(inputProblems({ ...DEPLOYMENT, environment: 'e'.repeat(256) })).toContain(
      "Input 'environment': must be at most 255 characters.",
    )
  })
})
