import { execFile } from 'node:child_process'
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parseAllDocuments } from 'yaml'
import { buildValueArgs, type ReleaseSpec } from '../../src/helm/args.js'
import type { ImageRef } from '../../src/lib/image-ref.js'
import { ROOT } from '../fixtures/action-runner.js'
import { releaseSpec } from '../fixtures/release-spec.js'
import {
  describeWithHelm,
  fixtureHelmBinary,
  HELM_LAYERS,
  type FixtureHelmVersion,
} from '../fixtures/helm-release.js'

const CHART = path.join(ROOT, '__tests__', 'fixtures', 'charts', 'values-echo')
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
const VERSIONS = Object.keys(HELM_LAYERS) as FixtureHelmVersion[]

const spec = (overrides: Partial<ReleaseSpec>): ReleaseSpec =>
  releaseSpec({ release: 'echo', chart: { kind: 'path', path: CHART }, namespace: 'default', ...overrides })

interface Rendered {
  readonly image: string
  readonly values: Record<string, unknown>
}

interface Manifest {
  readonly kind?: string
  readonly data?: Record<string, string>
  readonly spec?: { template: { spec: { containers: { image: string }[] } } }
}

let home: string
beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'helm-render-home-'))
})
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true })
})

/** `helm template` with exactly the value flags the action passes to `helm upgrade`. */
async function render(
  version: FixtureHelmVersion,
  releaseSpec: ReleaseSpec,
  image?: ImageRef,
): Promise<Rendered> {
  const helm = await fixtureHelmBinary(version)
  const args = ['template', 'echo', CHART, ...buildValueArgs(releaseSpec, image)]
  const { stdout } = await promisify(execFile)(helm, args, { env: { PATH: process.env.PATH, HOME: home } })
  const documents = parseAllDocuments(stdout).map((document) => document.toJS() as Manifest)
  const deployment = documents.find((document) => document.kind === 'Deployment')
  const configMap = documents.find((document) => document.kind === 'ConfigMap')
  return {
    image: deployment?.spec?.template.spec.containers[0]?.image ?? '',
    values: JSON.parse(configMap?.data?.['values.json'] ?? '{}') as Record<string, unknown>,
  }
}

describeWithHelm('the image and values as a real helm renders them (helm template, the action flags)', () => {
  describe.each(VERSIONS)('helm %s', (version) => {
    test.each(['1234567', '1e10', '0777', '12345678901234567890', 'true', 'v1.2.3', 'sha-0123abc'])(
      'tag %s renders exactly <registry>/<repo>:<tag>, and stays a string',
      async (tag) => {
        const rendered = await render(version, spec({}), {
          registry: REGISTRY,
          name: 'shop/api',
          tag,
          digest: undefined,
        })
        expect(rendered.image).toBe(`${REGISTRY}/shop/api:${tag}`)
        expect(rendered.values.image).toEqual({ repository: `${REGISTRY}/shop/api`, tag })
      },
    )

    test('a digest renders <registry>/<repo>:<tag>@<digest>', async () => {
      const digest = `sha256:${'0123456789abcdef'.repeat(4)}`
      const rendered = await render(version, spec({}), {
        registry: REGISTRY,
        name: 'shop/api',
        tag: '1234567',
        digest,
      })
      expect(rendered.image).toBe(`${REGISTRY}/shop/api:1234567@${digest}`)
    })

    test('custom image keys', async () => {
      const rendered = await render(
        version,
        spec({ imageRepositoryKey: 'app.img.name', imageTagKey: 'app.img.version' }),
        { registry: REGISTRY, name: 'shop/api', tag: '1e10', digest: undefined },
      )
      expect(rendered.values.app).toEqual({ img: { name: `${REGISTRY}/shop/api`, version: '1e10' } })
    })

    test('set and set-string values with commas, =, spaces, quotes, backslashes and braces arrive unchanged', async () => {
      const tricky = ['a,b,c', 'k=v=w', 'with  spaces ', `"double" and 'single'`, 'C:\\path\\', '{x,y}', '']
      const rendered = await render(
        version,
        spec({
          setString: tricky.map((value, index) => ({ key: `s.v${index}`, value })),
          set: [
            ...tricky.map((value, index) => ({ key: `t.v${index}`, value })),
            { key: 'n.replicas', value: '3' },
          ],
        }),
      )
      const expected = Object.fromEntries(tricky.map((value, index) => [`v${index}`, value]))
      expect(rendered.values.s).toEqual(expected)
      expect(rendered.values.t).toEqual(expected)
      expect(rendered.values.n).toEqual({ replicas: 3 })
    })
  })
})
