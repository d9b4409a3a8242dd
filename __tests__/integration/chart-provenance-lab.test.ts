import type { ActionRun } from '../fixtures/action-runner.js'
import { startLabDeployer, type LabDeployer } from '../fixtures/lab-deploy.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { startSignedCharts, type SignedCharts } from '../fixtures/signed-charts.js'

// Issue 26, a classic repository chart's .prov: helm --verify with chart-keyring, Helm 3 and 4 on the
// lab. A signed chart deploys; an unsigned one, and one signed by a key not in the keyring, are
// refused before anything is written (no release, no namespace, no lease).
const PREFIX = `cp${process.pid.toString(36)}`

describeWithLab(
  "chart-keyring: the chart's .prov verified before the deploy (bundled action, lab)",
  (lab) => {
    let deployer: LabDeployer
    let charts: SignedCharts

    beforeAll(async () => {
      ;[deployer, charts] = await Promise.all([startLabDeployer(lab, PREFIX), startSignedCharts()])
    }, 120_000)
    afterAll(async () => {
      await Promise.all([deployer.stop(), charts.stop()])
    })

    const deploy = (
      helm: 'v4.1.4' | 'v3.17.3',
      repo: string,
      keyring: string,
    ): Promise<{ run: ActionRun; namespace: string }> => {
      const namespace = deployer.namespace(`${helm.slice(0, 2).replace('.', '')}-${repo}`)
      return deployer
        .deploy(helm, namespace, {
          chart: 'demo',
          'chart-repository': `${charts.url}/${repo}`,
          'chart-keyring': keyring,
          timeout: '60s',
        })
        .then((run) => ({ run, namespace }))
    }
    const error = (run: ActionRun): string => /^::error::(.*)$/m.exec(run.stdout)?.[1] ?? ''

    test.each([
      ['v4.1.4', 'an armored key inline'],
      ['v3.17.3', 'a binary keyring file'],
    ] as const)(
      'helm %s: a signed chart deploys, verified with %s',
      async (helm, how) => {
        const keyring = how === 'an armored key inline' ? charts.armoredKey : charts.keyringFile
        const { run, namespace } = await deploy(helm, 'signed', keyring)
        expect(run.exitCode).toBe(0)
        expect(run.outputs).toMatchObject({ 'release-status': 'deployed', 'chart-name': 'demo' })
        expect(run.stdout).toMatch(
          /Chart demo from http:\/\/127\.0\.0\.1:\d+\/signed verified with chart-keyring \(the (key block given inline|file \/.*)\): signed by Chart Signer <signer@example\.com>, key [0-9A-F]{40}, sha256:[0-9a-f]{64}\./,
        )
        expect(run.summary).toMatch(/Chart signature \| verified \(chart-keyring\): Chart Signer/)
        expect(await deployer.releaseStatus(namespace)).toMatchObject({ status: 'deployed' })
      },
      300_000,
    )

    test.each([
      ['v4.1.4', 'unsigned', /it has no provenance file \(\.prov\): it was not signed/],
      [
        'v4.1.4',
        'stranger',
        /its \.prov is signed by a key that is not in chart-keyring \(which holds [0-9A-F]{40} Chart Signer/,
      ],
      ['v3.17.3', 'unsigned', /it has no provenance file/],
      ['v3.17.3', 'stranger', /signed by a key that is not in chart-keyring/],
    ] as const)(
      'helm %s: the %s chart is refused before anything is written',
      async (helm, repo, why) => {
        const { run, namespace } = await deploy(helm, repo, charts.keyringFile)
        expect(run.exitCode).toBe(1)
        expect(error(run)).toMatch(
          new RegExp(
            `^The chart demo from http://127\\.0\\.0\\.1:\\d+/${repo} failed helm's provenance check \\(chart-keyring: the file .*\\), before anything was deployed: `,
          ),
        )
        expect(error(run)).toMatch(why)
        expect(run.stdout).toMatch(/helm package --sign --key/)
        // Nothing of the release exists: helm never ran, and neither the namespace nor the lock's lease was made.
        expect(await deployer.releaseStatus(namespace)).toBeUndefined()
        const namespaces = await labCommand(lab, lab.kubectl, ['get', 'namespaces', '-o', 'name'])
        expect(namespaces.split('\n')).not.toContain(`namespace/${namespace}`)
      },
      300_000,
    )
  },
)
