import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr'
import { makeRunnerFiles, runAction, type ActionRun, type RunnerFiles } from '../fixtures/action-runner.js'
import {
  keyAnnotations,
  keylessAnnotations,
  makeKeyPair,
  pushBundleReferrer,
  pushSigTag,
  signStatement,
  simpleSigningPayload,
} from '../fixtures/cosign-signatures.js'
import {
  describeWithRegistry,
  startDistributionRegistry,
  type DistributionRegistry,
} from '../fixtures/distribution-registry.js'
import { startEcrRegistryProxy } from '../fixtures/ecr-registry-proxy.js'
import { expectedEcrLogin, putImage } from '../fixtures/ecr-images.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'
import { startSigstore, type BuildClaims, type SigstoreStandIn } from '../fixtures/sigstore-stand-in.js'
import { CHART } from '../fixtures/eks-e2e.js'
import { startHelmMirror, type HelmMirror } from '../fixtures/helm-mirror.js'
import { fixtureHelmBinary } from '../fixtures/helm-release.js'
import { runProcess } from '../fixtures/kube-tools.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'

const REGION = 'eu-west-1'
const REPO = 'octo-org/octo-repo'
const BUILD: BuildClaims = {
  repository: REPO,
  jobWorkflowRef: `${REPO}/.github/workflows/build.yml@refs/heads/main`,
  ref: 'refs/heads/main',
  sha: 'c0ffee0000000000000000000000000000c0ffee',
}
const IDENTITY = `https://github.com/${BUILD.jobWorkflowRef}`
const ISSUER = 'https://token.actions.githubusercontent.com'

// verify-image: cosign, bundled, against a real OCI registry (Debian's Distribution 2.8, TLS, htpasswd)
// that the step's ECR login opens: moto answers ECR behind a proxy whose GetAuthorizationToken names
// the registry, and the registry's htpasswd holds moto's password. Signatures are made by the test
// with real crypto (node:crypto keys; @sigstore/sign against @sigstore/mock's Fulcio and Rekor) and
// stored as cosign stores them: the .sig tag (cosign v2) and a bundle referrer (cosign v3).
describeWithRegistry('verify-image: cosign against a real OCI registry', () => {
  describeWithMoto('bundled action, the step’s ECR login', () => {
    let moto: MotoServer
    let registry: DistributionRegistry
    let proxy: { url: string; stop(): Promise<void> }
    let sigstore: SigstoreStandIn
    let admin: ECRClient
    let files: RunnerFiles & { cleanup(): Promise<void> }
    let count = 0
    const keys = makeKeyPair()
    const other = makeKeyPair()

    beforeAll(async () => {
      ;[moto, sigstore] = await Promise.all([startMoto(), startSigstore()])
      admin = new ECRClient({
        region: REGION,
        endpoint: moto.url,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      })
      const { password } = await expectedEcrLogin(admin)
      registry = await startDistributionRegistry({ user: 'AWS', password })
      proxy = await startEcrRegistryProxy({ target: moto.url, proxyEndpoint: registry.url })
    })
    afterAll(async () => {
      admin.destroy()
      await Promise.all([moto.stop(), registry.stop(), proxy.stop(), sigstore.stop()])
    })
    beforeEach(async () => {
      files = await makeRunnerFiles()
      await fs.writeFile(path.join(files.dir, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot))
      await fs.writeFile(path.join(files.dir, 'cosign.pub'), keys.publicPem)
    })
    afterEach(async () => {
      await files.cleanup()
    })

    /** A new ECR repository with one image (moto): its name, digest and reference in the registry. */
    async function pushImage(): Promise<{ name: string; digest: string; repository: string }> {
      const name = `cosign/api-${++count}`
      await admin.send(new CreateRepositoryCommand({ repositoryName: name }))
      return { name, digest: await putImage(admin, name, 'v1'), repository: `${registry.host}/${name}` }
    }

    const keyless = {
      'cosign-identity': IDENTITY,
      'cosign-issuer': ISSUER,
      'trusted-root': 'trusted_root.json',
    }
    const byKey = { 'cosign-public-key': 'cosign.pub' }

    const run = (repository: string, inputs: Record<string, string>): Promise<ActionRun> =>
      runAction({
        files,
        inputs: {
          'ecr-repository': repository,
          'image-tag': 'v1',
          'require-image': 'true',
          'aws-region': REGION,
          'verify-image': 'cosign',
          ...inputs,
        },
        env: {
          AWS_ACCESS_KEY_ID: 'AKIAMOTOTESTING00001',
          AWS_SECRET_ACCESS_KEY: 'moto-testing-secret',
          AWS_ENDPOINT_URL_ECR: proxy.url,
          NODE_EXTRA_CA_CERTS: registry.caFile,
        },
      })

    const errorOf = (result: ActionRun): string =>
      (/^::error::(.*)$/m.exec(result.stdout)?.[1] ?? '').replace(/%0A/g, '\n').replace(/%25/g, '%')

    test('a key signature in the .sig tag passes: output image-verified names the key', async () => {
      const { name, digest, repository } = await pushImage()
      const payload = simpleSigningPayload(repository, digest)
      await pushSigTag(registry, name, digest, [
        { payload, annotations: keyAnnotations(keys.privateKey, payload) },
      ])
      const result = await run(name, byKey)
      expect(errorOf(result)).toBe('')
      expect(result.exitCode).toBe(0)
      expect(result.outputs['image-digest']).toBe(digest)
      expect(result.outputs['image-verified']).toMatch(/^cosign: signed by key SHA256:[A-Za-z0-9+/]{43}$/)
      expect(result.summary).toContain('| Image signed |')
      expect(result.stdout).toContain(
        `Verified: cosign signature (tag ${digest.replace(':', '-')}.sig, layer 1)`,
      )
    })

    test('a keyless signature in the .sig tag (cosign v2) passes: certificate, SCT and Rekor entry verified', async () => {
      const { name, digest, repository } = await pushImage()
      const payload = simpleSigningPayload(repository, digest)
      const bundle = await sigstore.signMessage(payload, BUILD)
      await pushSigTag(registry, name, digest, [{ payload, annotations: keylessAnnotations(bundle) }])
      const result = await run(name, keyless)
      expect(errorOf(result)).toBe('')
      expect(result.outputs['image-verified']).toBe(`cosign: signed by ${IDENTITY}`)
    })

    test('a keyless bundle referrer (cosign v3, referrers tag schema) passes', async () => {
      const { name, digest, repository } = await pushImage()
      await pushBundleReferrer(
        registry,
        name,
        digest,
        await sigstore.sign(signStatement(repository, digest), BUILD),
      )
      const result = await run(name, keyless)
      expect(errorOf(result)).toBe('')
      expect(result.outputs['image-verified']).toBe(`cosign: signed by ${IDENTITY}`)
      expect(result.stdout).toContain('Verified: cosign signature (referrer sha256:')
    })

    test('refused when another identity signed: expected and found, and the cosign sign step', async () => {
      const { name, digest, repository } = await pushImage()
      const payload = simpleSigningPayload(repository, digest)
      const claims = { ...BUILD, jobWorkflowRef: `${REPO}/.github/workflows/adhoc.yml@refs/heads/main` }
      await pushSigTag(registry, name, digest, [
        { payload, annotations: keylessAnnotations(await sigstore.signMessage(payload, claims)) },
      ])
      const result = await run(name, keyless)
      expect(result.exitCode).toBe(1)
      const error = errorOf(result)
      expect(error).toContain(`Refused to deploy ${repository}@${digest}: its cosign signature does not pass`)
      expect(error).toContain(
        `identity: expected ${IDENTITY}, found https://github.com/${REPO}/.github/workflows/adhoc.yml@refs/heads/main`,
      )
      expect(error).toContain(`run: cosign sign --yes ${repository}@`)
      expect(error).toContain('Failed in phase verify.')
      expect(result.outputs['image-verified']).toBeUndefined()
    })

    test('refused when another key signed', async () => {
      const { name, digest, repository } = await pushImage()
      const payload = simpleSigningPayload(repository, digest)
      await pushSigTag(registry, name, digest, [
        { payload, annotations: keyAnnotations(other.privateKey, payload) },
      ])
      const error = errorOf(await run(name, byKey))
      expect(error).toMatch(/layer 1: the signature does not verify with cosign-public-key \(SHA256:\S+\)/)
      expect(error).toContain('cosign sign --yes --key env://COSIGN_PRIVATE_KEY')
    })

    test('refused when the signature is of another digest (stored under this one)', async () => {
      const { name, digest, repository } = await pushImage()
      const otherDigest = `sha256:${'e'.repeat(64)}`
      const payload = simpleSigningPayload(repository, otherDigest)
      await pushSigTag(registry, name, digest, [
        { payload, annotations: keyAnnotations(keys.privateKey, payload) },
      ])
      const error = errorOf(await run(name, byKey))
      expect(error).toContain(`it signs ${otherDigest}, not ${digest}`)
      expect(error).toContain('sign the digest that is deployed')
    })

    test('refused when the digest has no signature: where it looked, and the step to add', async () => {
      const { name, digest, repository } = await pushImage()
      const result = await run(name, keyless)
      expect(result.exitCode).toBe(1)
      const error = errorOf(result)
      expect(error).toContain(`Refused to deploy ${repository}@${digest}: no cosign signature of this digest`)
      expect(error).toContain(`the tag ${digest.replace(':', '-')}.sig and the referrers tag`)
      expect(error).toContain('uses: sigstore/cosign-installer@')
    })

    // verify-chart: an oci:// chart pushed with helm push, its digest signed as cosign signs it, deployed
    // by that digest on the lab. Helm 4 only: Helm 3.17 reads a registry on 127.0.0.1 over plain http
    // (its loopback rule), so it cannot pull from this TLS registry (HTTP 400); its `name@digest` pull
    // was checked by hand against a TLS name (docs/supply-chain.md).
    describeWithLab('verify-chart: cosign, deployed by digest (Helm 4, the lab)', (lab) => {
      const RUN = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-8)
      const namespace = `vchart-${RUN}`
      let mirror: HelmMirror
      let toolCache: string
      let helm: string

      beforeAll(async () => {
        ;[mirror, helm] = await Promise.all([startHelmMirror(['v4.1.4']), fixtureHelmBinary('v4.1.4')])
        toolCache = await fs.mkdtemp(path.join(os.tmpdir(), 'verify-chart-tool-cache-'))
      })
      afterAll(async () => {
        await mirror.stop()
        await fs.rm(toolCache, { recursive: true, force: true })
        await labCommand(lab, lab.kubectl, ['delete', 'namespace', namespace, '--wait=false']).catch(() => '')
      })

      /** The demo chart packaged and pushed with helm push (TLS, the registry's login): its repository and digest. */
      async function pushChart(): Promise<{ name: string; digest: string }> {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'verify-chart-push-'))
        try {
          const login = registry.credentials
          const auth = Buffer.from(`${login?.user ?? ''}:${login?.password ?? ''}`).toString('base64')
          await fs.writeFile(
            path.join(dir, 'config.json'),
            JSON.stringify({ auths: { [registry.host]: { auth } } }),
          )
          const env = {
            PATH: '/usr/bin:/bin',
            HOME: dir,
            DOCKER_CONFIG: dir,
            HELM_REGISTRY_CONFIG: path.join(dir, 'r.json'),
          }
          const packed = await runProcess(helm, ['package', CHART, '-d', dir], env)
          expect(packed.exitCode).toBe(0)
          const parent = `charts-${++count}`
          const pushed = await runProcess(
            helm,
            [
              'push',
              path.join(dir, 'demo-0.1.0.tgz'),
              `oci://${registry.host}/${parent}`,
              '--ca-file',
              registry.caFile,
            ],
            env,
          )
          const digest = /Digest: (sha256:[a-f0-9]{64})/.exec(pushed.stdout + pushed.stderr)?.[1]
          if (digest === undefined) throw new Error(`helm push: ${pushed.stderr}`)
          return { name: `${parent}/demo`, digest }
        } finally {
          await fs.rm(dir, { recursive: true, force: true })
        }
      }

      const deployChart = async (chart: string): Promise<ActionRun> => {
        const image = await pushImage()
        return runAction({
          files,
          inputs: {
            'ecr-repository': image.name,
            'image-tag': 'v1',
            'aws-region': REGION,
            release: `vchart-${count}`,
            chart: `oci://${registry.host}/${chart}`,
            'chart-version': '0.1.0',
            namespace,
            'helm-version': 'v4.1.4',
            'helm-mirror': mirror.url,
            timeout: '60s',
            'verify-chart': 'cosign',
            ...byKey,
          },
          env: {
            AWS_ACCESS_KEY_ID: 'AKIAMOTOTESTING00001',
            AWS_SECRET_ACCESS_KEY: 'moto-testing-secret',
            AWS_ENDPOINT_URL_ECR: proxy.url,
            NODE_EXTRA_CA_CERTS: registry.caFile,
            // helm (Go) trusts the registry's CA through it; the lab's API server has its CA in the kubeconfig.
            SSL_CERT_FILE: registry.caFile,
            KUBECONFIG: lab.kubeconfig,
            RUNNER_TOOL_CACHE: toolCache,
          },
        })
      }

      test('a chart signed by the key: helm deploys exactly the pushed digest, output chart-digest', async () => {
        const { name, digest } = await pushChart()
        const payload = simpleSigningPayload(`${registry.host}/${name}`, digest)
        await pushSigTag(registry, name, digest, [
          { payload, annotations: keyAnnotations(keys.privateKey, payload) },
        ])
        const result = await deployChart(name)
        expect(errorOf(result)).toBe('')
        expect(result.exitCode).toBe(0)
        expect(result.outputs).toMatchObject({
          'chart-digest': digest,
          'release-status': 'deployed',
          'chart-name': 'demo',
        })
        expect(result.stdout).toContain(`Chart oci://${registry.host}/${name} version 0.1.0: ${digest}.`)
        expect(result.stdout).toContain(
          `Verified: cosign signature (tag ${digest.replace(':', '-')}.sig, layer 1)`,
        )
        expect(result.summary).toContain('| Chart signed |')
      })

      test('an unsigned chart is refused before helm, with the cosign sign command for its digest', async () => {
        const { name, digest } = await pushChart()
        const result = await deployChart(name)
        expect(result.exitCode).toBe(1)
        const error = errorOf(result)
        expect(error).toContain(
          `Refused to deploy the chart oci://${registry.host}/${name}@${digest}: no cosign signature of this digest (verify-chart: cosign;`,
        )
        expect(error).toContain(
          `cosign sign --yes --key env://COSIGN_PRIVATE_KEY ${registry.host}/${name}@${digest}`,
        )
        expect(error).toContain('Failed in phase verify.')
        expect(result.stdout).not.toContain('helm upgrade --install')
        expect(result.outputs['release-status']).toBeUndefined()
      })
    })
  })
})
