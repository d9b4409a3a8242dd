import { ActionError } from '../../src/errors.js'
import { planPhases, type Plan } from '../../src/plan.js'
import { inputsFrom } from '../fixtures/parsed-inputs.js'

const ROLE = 'arn:aws:iam::123456789012:role/deploy'
const AUTH = { 'role-to-assume': ROLE }
const ECR = { 'ecr-repository': 'shop/api' }
const KUBE = { 'cluster-name': 'prod' }
const DEPLOY = { release: 'api', chart: './charts/api' }
const ALL = { ...AUTH, ...ECR, ...KUBE, ...DEPLOY }

const plan = (values: Record<string, string>): Plan => planPhases(inputsFrom(values))

function planFailure(values: Record<string, string>): ActionError {
  try {
    plan(values)
  } catch (error) {
    if (error instanceof ActionError) return error
    throw error
  }
  throw new Error(`planPhases accepted ${JSON.stringify(values)}`)
}

describe('auto: a phase runs when its inputs are given', () => {
  test.each([
    [AUTH, { auth: true, ecrLogin: false, kubeconfig: false, deploy: false, checkImage: false }],
    [ECR, { auth: false, ecrLogin: true, kubeconfig: false, deploy: false, checkImage: false }],
    [
      { registries: '123456789012' },
      { auth: false, ecrLogin: true, kubeconfig: false, deploy: false, checkImage: false },
    ],
    [KUBE, { auth: false, ecrLogin: false, kubeconfig: true, deploy: false, checkImage: false }],
    [DEPLOY, { auth: false, ecrLogin: false, kubeconfig: false, deploy: true, checkImage: false }],
    [
      { ...AUTH, ...KUBE },
      { auth: true, ecrLogin: false, kubeconfig: true, deploy: false, checkImage: false },
    ],
    [ALL, { auth: true, ecrLogin: true, kubeconfig: true, deploy: true, checkImage: true }],
    [
      { ...AUTH, release: 'api' },
      { auth: true, ecrLogin: false, kubeconfig: false, deploy: false, checkImage: false },
    ],
    [
      { ...AUTH, chart: './charts/api' },
      { auth: true, ecrLogin: false, kubeconfig: false, deploy: false, checkImage: false },
    ],
  ])('%j', (values, expected) => {
    expect(plan(values)).toEqual(expected)
  })
})

describe('an explicit list runs exactly those phases', () => {
  test.each([
    ['auth,ecr-login', { auth: true, ecrLogin: true, kubeconfig: false, deploy: false }],
    ['kubeconfig,deploy', { auth: false, ecrLogin: false, kubeconfig: true, deploy: true }],
    ['deploy', { auth: false, ecrLogin: false, kubeconfig: false, deploy: true }],
    ['auth,ecr-login,kubeconfig,deploy', { auth: true, ecrLogin: true, kubeconfig: true, deploy: true }],
  ])('%s', (phases, expected) => {
    expect(plan({ ...ALL, phases })).toMatchObject(expected)
  })

  test.each([
    ['auth', {}, ['auth'], ['role-to-assume: arn:aws:iam::123456789012:role/deploy']],
    ['ecr-login', {}, ['ecr-login'], ['ecr-repository: shop/api', 'registries: 123456789012']],
    ['kubeconfig', {}, ['kubeconfig'], ['cluster-name: my-cluster']],
    ['deploy', { release: 'api' }, ['deploy'], ['release: my-app\n  chart: ./charts/my-app']],
    ['auth,kubeconfig,deploy', AUTH, ['kubeconfig, deploy'], ['cluster-name: my-cluster', 'release: my-app']],
  ])('%s without its inputs fails, with the YAML that fixes it', (phases, values, named, yaml) => {
    const error = planFailure({ ...values, phases })
    expect(error.message).toContain("Input 'phases' asks for")
    for (const text of named) expect(error.message).toContain(text)
    expect(error.hint).toContain('Add under `with:`')
    for (const text of yaml) expect(error.hint).toContain(text)
  })

  test('says "it lacks" for one phase and "they lack" for several', () => {
    expect(planFailure({ phases: 'kubeconfig' }).message).toContain('it lacks required inputs')
    expect(planFailure({ phases: 'kubeconfig,deploy' }).message).toContain('they lack required inputs')
  })

  test('a listed phase that has its inputs is not reported', () => {
    expect(planFailure({ ...AUTH, phases: 'auth,kubeconfig' }).message).not.toMatch(/asks for .*auth/)
  })
})

describe('nothing to do', () => {
  test.each([{}, { release: 'api' }, { 'chart-repository': '' }])('%j', (values) => {
    const error = planFailure(values)
    expect(error.message).toContain('Nothing to do')
    for (const yaml of ['role-to-assume:', 'ecr-repository:', 'cluster-name:', 'release:', 'chart:'])
      expect(error.hint).toContain(yaml)
  })
})

describe('checkImage', () => {
  test.each([
    ['no ecr-repository: never', { ...AUTH, ...DEPLOY, 'require-image': 'true' }, false],
    ['auto, deploy runs: yes', { ...ECR, ...DEPLOY }, true],
    ['auto, no deploy: no', { ...ECR, ...KUBE }, false],
    ['true without deploy: yes', { ...ECR, 'require-image': 'true' }, true],
    ['false with deploy: no', { ...ECR, ...DEPLOY, 'require-image': 'false' }, false],
    ['auto, deploy listed explicitly: yes', { ...ECR, ...DEPLOY, phases: 'deploy' }, true],
    ['auto, deploy left out of the list: no', { ...ECR, ...DEPLOY, phases: 'ecr-login' }, false],
  ])('%s', (_name, values, expected) => {
    expect(plan(values).checkImage).toBe(expected)
  })
})
