import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../fixtures/action-runner.js'
import { ACCOUNT, REGISTRY, REPOSITORY, RUN_ID, useEksE2e } from '../fixtures/eks-e2e.js'
import { describeWithEksLab } from '../fixtures/lab.js'

// Plain manifests through all four phases: the image that is pinned is phase ecr-login's (its digest
// resolved by the image check against moto), deployed with the kubeconfig's EKS tokens.
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/e2e-manifests-${RUN_ID}`
const MANIFESTS = path.join(ROOT, '__tests__', 'fixtures', 'manifests', 'shop-api')

describeWithEksLab('plain manifests through the four phases against the EKS lab', (lab) => {
  const suite = useEksE2e(lab, {
    name: 'e2e-manifests',
    tags: ['0123456'],
    helmVersions: ['v4.1.4'],
    deployRole: DEPLOY_ROLE,
  })

  test('the commit image, pinned by digest, replaces the tag written in the manifests; the post step removes the chart', async () => {
    const namespace = `e2e-man-${RUN_ID}`
    suite.namespaces.push(namespace)
    const run = await suite.deploy({
      helm: 'v4.1.4',
      namespace,
      role: DEPLOY_ROLE,
      inputs: { chart: '', set: '', manifests: MANIFESTS },
      // Manifests are read only from the checkout: here the repository holds the fixtures.
      env: { GITHUB_WORKSPACE: ROOT },
    })
    expect(run.exitCode).toBe(0)
    const digest = suite.stack().digests.get('0123456') ?? ''
    expect(digest).toMatch(/^sha256:/)
    const pinned = `${REGISTRY}/${REPOSITORY}:0123456@${digest}`
    expect(run.outputs).toMatchObject({
      'images-pinned': `app: ${REGISTRY}/${REPOSITORY}:latest -> ${pinned}`,
      'release-revision': '1',
      'chart-name': 'demo',
      'chart-version': '0.0.0-g0123456',
      'app-version': '0123456',
      'image-digest': digest,
    })
    expect(await suite.deployedImage(namespace)).toBe(pinned)
    await suite.untilServing(namespace)
    // suite.deploy ran the post step: the chart made of the manifests is gone with the rest.
    expect(
      (await fs.readdir(suite.files().runnerTemp)).filter((name) => name.startsWith('eks-manifests-')),
    ).toEqual([])
    expect(JSON.parse(run.state.cleanup ?? '{}')).toMatchObject({
      paths: expect.arrayContaining([expect.stringContaining(`${path.sep}eks-manifests-`)]),
    })
  }, 180_000)
})
