import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { parseInputs } from '../../../src/inputs/parse.js'
import { collectOutputs } from '../../../src/action/outputs.js'
import type { DeployRecord } from '../../../src/record/record.js'
import type { RunResults } from '../../../src/action/results.js'
import { makeImageRef } from '../../../src/lib/image-ref.js'

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
import { fakeContext, inputsFrom, mapReader } from '../../fixtures/parsed-inputs.js'

interface ActionYaml {
  inputs: Record<string, { description?: unknown; default?: unknown; required?: unknown }>
  outputs: Record<string, { description?: unknown }>
  runs: Record<string, unknown>
}

const action = parse(
  readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'action.yml'), 'utf8'),
) as ActionYaml
const declaredInputs = Object.keys(action.inputs).sort()
// A default that is an expression (github-token's `${{ github.token }}`) is the runner's to evaluate.
const defaults = Object.fromEntries(
  Object.entries(action.inputs).flatMap(([name, spec]) =>
    typeof spec.default === 'string' && !spec.default.startsWith('${{') ? [[name, spec.default]] : [],
  ),
)
/** Where the region comes from when no input gives it, so that an all-empty reader parses. */
const context = fakeContext({ ambientRegion: 'eu-west-1' })

/** Every name parseInputs asks its reader for, over readers that take it down different branches. */
function namesRead(): string[] {
  const names = new Set<string>()
  const readers = [mapReader(), mapReader(defaults), () => 'x']
  for (const reader of readers) {
    const recording = (name: string): string => {
      names.add(name)
      return reader(name)
    }
    try {
      parseInputs(recording, context)
    } catch {
      // A reader of nonsense fails validation; the names it was asked for are what counts.
    }
  }
  return [...names].sort()
}

describe('action.yml is the contract of the code', () => {
  test('its inputs are exactly the inputs parseInputs reads', () => {
    expect(declaredInputs).toEqual(namesRead())
  })

  test('every input has a description; defaults are strings; none is marked required (the code validates)', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect([name, typeof spec.description]).toEqual([name, 'string'])
      if (spec.default !== undefined) expect([name, typeof spec.default]).toEqual([name, 'string'])
      expect([name, spec.required]).not.toEqual([name, true])
    }
  })

  test('defaults live in action.yml: the parser without inputs equals the parser given those defaults', () => {
    expect(parseInputs(mapReader(), context)).toEqual(parseInputs(mapReader(defaults), context))
  })

  test('each default is what the parser makes of it (not a value it would reject)', () => {
    for (const [name, value] of Object.entries(defaults)) {
      expect(() => parseInputs(mapReader({ [name]: value }), context)).not.toThrow()
    }
  })

  test('its outputs are exactly the outputs the code sets, each with a description', () => {
    const inputs = inputsFrom({
      'role-to-assume': 'arn:aws:iam::123456789012:role/deploy',
      'ecr-repository': 'shop/api',
      'cluster-name': 'prod',
      release: 'api',
      chart: './charts/api',
    })
    const expiration = new Date('2030-01-01T00:00:00Z')
    const full: RunResults = {
      inputs,
      auth: {
        credentials: { accessKeyId: 'a', secretAccessKey: 's', sessionToken: 't', expiration },
        accountId: '123456789012',
        assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
        roleArn: 'arn:aws:iam::123456789012:role/deploy',
        expiration,
      },
      ecr: {
        registry: REGISTRY,
        image: makeImageRef(REGISTRY, 'shop/api', '0123456', `sha256:${'a'.repeat(64)}`),
        dockerConfigDir: '/runner/tmp/docker-config-x',
        loggedIn: [REGISTRY],
        scan: { threshold: 'HIGH', scanType: 'basic', counts: { MEDIUM: 1 }, completedAt: undefined },
      },
      kubeconfig: {
        path: '/runner/tmp/kubeconfig-x/kubeconfig',
        clusterName: 'prod',
        endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
        version: '1.33',
        auth: 'exec',
        createdPaths: ['/runner/tmp/kubeconfig-x'],
      },
      deploy: {
        helmVersion: 'v4.1.4',
        release: 'api',
        namespace: 'default',
        isDryRun: false,
        state: {
          revision: 2,
          status: 'deployed',
          description: 'Upgrade complete',
          chartName: 'api',
          chartVersion: '1.0.0',
          appVersion: '1.0',
        },
        previousRevision: 1,
        isRolledBack: false,
        failure: undefined,
        failureReason: undefined,
        diagnosis: undefined,
        manifests: { files: 1, objects: 2, pinned: [], adopted: [], clusterScoped: [] },
        changes: { objects: [], unchanged: 0, values: { added: [], changed: [], removed: [] } },
      },
      teardown: undefined,
      verify: {
        build: {
          method: 'attestation',
          digest: `sha256:${'a'.repeat(64)}`,
          signerWorkflow: 'https://github.com/octo-org/api/.github/workflows/build.yml@refs/heads/main',
          repository: 'octo-org/api',
          commit: 'c'.repeat(40),
          ref: 'refs/heads/main',
          run: undefined,
        },
        signature: undefined,
      },
      github: {
        deployment: { id: 7, environment: 'production', state: 'success', environmentUrl: undefined },
      },
      record: { schema: 1 } as DeployRecord,
    }
    // Every declared output is one the code sets when all four phases run (deploying manifests), and no other.
    const produced = Object.keys(collectOutputs(full))
    expect(produced.sort()).toEqual(Object.keys(action.outputs).sort())
    for (const [name, spec] of Object.entries(action.outputs))
      expect([name, typeof spec.description]).toEqual([name, 'string'])
  })

  test('runs on node24: main dist/index.js, post dist/post/index.js, always', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/post/index.js',
      'post-if': 'always()',
    })
  })
})
