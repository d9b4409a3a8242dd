import type { ActionRun } from '../fixtures/action-runner.js'
import type { FixtureHelmVersion } from '../fixtures/helm-release.js'
import { describeWithLab, labCommand } from '../fixtures/lab.js'
import { startLabDeployer, type LabDeployer } from '../fixtures/lab-deploy.js'
import {
  PROGRESSIVE_CHART,
  PROGRESSIVE_CRDS,
  PROMOTE,
  startProgressiveController,
} from '../fixtures/progressive-controller.js'

const VERSIONS: FixtureHelmVersion[] = ['v4.1.4', 'v3.17.3']
const major = (version: FixtureHelmVersion): string => version.slice(1, 2)
// Workflow commands escape % and newlines (%25, %0A): read as the runner shows them.
const unescape = (text: string): string => text.replaceAll('%0A', '\n').replaceAll('%25', '%')
const errorLine = (run: ActionRun): string => unescape(/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '')
const warnings = (run: ActionRun): string[] =>
  [...run.stdout.matchAll(/^::warning::(.*)$/gm)].map((match) => unescape(match[1] ?? ''))
const PREFIX = 'cr23'

// Issue 23, part 3 on the lab: the Rollout and Canary CRDs (minimal, structural) and a stand-in
// controller in this process writing the status Argo Rollouts or Flagger would, per the fate the chart
// gives each object. No pod runs: the fates are immediate (no crash back-off), so the suite takes what
// helm and the action take. Helm 4 waits for hooks only (wait-mode auto), Helm 3's --wait ignores
// custom resources: in both, the action's watch decides.
describeWithLab(
  'Argo Rollouts and Flagger canaries (bundled action, real helm, stand-in controller)',
  (lab) => {
    let lab$: LabDeployer
    let stopController: () => Promise<void>
    beforeAll(async () => {
      await labCommand(lab, lab.kubectl, ['apply', '-f', PROGRESSIVE_CRDS])
      lab$ = await startLabDeployer(lab, PREFIX)
      stopController = await startProgressiveController(lab, PREFIX)
    }, 120_000)
    afterAll(async () => {
      await stopController()
      await lab$.stop()
    })

    const deploy = (
      version: FixtureHelmVersion,
      suffix: string,
      set: string,
      inputs: Record<string, string> = {},
      onOutput?: (text: string, namespace: string) => void,
    ): Promise<ActionRun> => {
      const namespace = lab$.namespace(`${suffix}-h${major(version)}`)
      let seen = ''
      return lab$.deploy(
        version,
        namespace,
        { chart: PROGRESSIVE_CHART, set, timeout: '2m', 'create-namespace': 'true', ...inputs },
        onOutput === undefined
          ? {}
          : {
              onSpawn: (child) =>
                child.stdout?.on('data', (chunk: Buffer) => {
                  seen += chunk.toString('utf8')
                  onOutput(seen, namespace)
                }),
            },
      )
    }

    test.concurrent.each(VERSIONS)(
      '%s: a healthy Rollout and Canary: the deploy succeeds once the watch sees them Healthy and Succeeded',
      async (version) => {
        const run = await deploy(version, 'healthy', 'canary.enabled=true')
        expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
        expect(run.stdout).toMatch(/Rollout cr23-\S+\/web: step 4\/4, canary weight 100 %, Healthy/)
        expect(run.stdout).toMatch(/Canary cr23-\S+\/api: Succeeded/)
        if (version === 'v4.1.4')
          expect(run.stdout).toContain('wait-mode auto: Canary api, Rollout web cannot be judged')
        expect(run.outputs['release-status']).toBe('deployed')
      },
      240_000,
    )

    // Argo writes observedGeneration as a string: kstatus reads such a Rollout as Unknown. On an upgrade
    // the status is there before helm waits, so a kstatus wait (Helm 4's watcher, and hookOnly, which
    // --rollback-on-failure turns into watcher) would hang to the timeout and roll back.
    test.concurrent.each(VERSIONS)(
      '%s: an upgrade of a Rollout whose status Argo wrote: helm leaves it to the watch, which sees it Healthy',
      async (version) => {
        const install = await deploy(version, 'upgrade', 'rollout.fate=healthy')
        expect({ exitCode: install.exitCode, error: errorLine(install) }).toEqual({ exitCode: 0, error: '' })
        const run = await deploy(version, 'upgrade', 'rollout.fate=healthy\nrollout.replicas=3')
        expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
        const upgrade = /^::debug::\S+ upgrade --install .*$/m.exec(run.stdout)?.[0] ?? ''
        if (version === 'v4.1.4') {
          expect(upgrade).toContain('--rollback-on-failure --wait=legacy')
          expect(run.stdout).toContain('wait-mode auto: Rollout web cannot be judged')
        } else expect(upgrade).toContain('--atomic --wait')
        expect(run.stdout).toMatch(/Rollout cr23-\S+\/web: step 4\/4, canary weight 100 %, Healthy/)
        expect(run.stdout).toContain('Release demo: revision 2 deployed')
      },
      240_000,
    )

    test.concurrent.each(VERSIONS)(
      '%s: paused with on-paused-rollout: wait: the deploy waits, and succeeds once the Rollout is promoted',
      async (version) => {
        let isPromoted = false
        const run = await deploy(version, 'wait', 'rollout.fate=paused', {}, (text, namespace) => {
          if (isPromoted || !text.includes('Paused (CanaryPauseStep)')) return
          isPromoted = true
          void labCommand(lab, lab.kubectl, [
            '-n',
            namespace,
            'annotate',
            'rollout',
            'web',
            `${PROMOTE}=true`,
          ])
        })
        expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
        expect(run.stdout).toMatch(/web: step 1\/4, canary weight 20 %, Paused \(CanaryPauseStep\)/)
        expect(run.stdout).toMatch(/web: step 4\/4, canary weight 100 %, Healthy/)
      },
      240_000,
    )

    test.concurrent.each(VERSIONS)(
      '%s: paused with on-paused-rollout: fail: the deploy fails naming the pause and how to relax it',
      async (version) => {
        const run = await deploy(version, 'fail', 'rollout.fate=paused', { 'on-paused-rollout': 'fail' })
        expect(run.exitCode).toBe(1)
        expect(errorLine(run)).toContain(
          'Rule: paused: step 1/4, canary weight 20 %, Paused (CanaryPauseStep) with on-paused-rollout: fail',
        )
        expect(run.stdout).toContain('set on-paused-rollout: wait to wait for its promotion')
      },
      240_000,
    )

    test.concurrent.each(VERSIONS)(
      '%s: paused with on-paused-rollout: report: deployed, with a warning naming the paused step',
      async (version) => {
        const run = await deploy(version, 'report', 'rollout.fate=paused', { 'on-paused-rollout': 'report' })
        expect({ exitCode: run.exitCode, error: errorLine(run) }).toEqual({ exitCode: 0, error: '' })
        expect(warnings(run)).toContainEqual(
          expect.stringMatching(
            /^Deployed, with a paused rollout \(on-paused-rollout: report\): Rollout cr23-\S+\/web: step 1\/4, canary weight 20 %, Paused \(CanaryPauseStep\)/,
          ),
        )
        expect(run.outputs['release-status']).toBe('deployed')
      },
      240_000,
    )

    test.concurrent.each(
      VERSIONS.flatMap((version) => [
        [
          version,
          'a degraded Rollout',
          'rollout.fate=degraded',
          'Rule: Rollout Degraded: ProgressDeadlineExceeded',
        ] as const,
        [
          version,
          'an aborted Rollout',
          'rollout.fate=aborted',
          'Rule: Rollout aborted: RolloutAborted',
        ] as const,
        [
          version,
          'a failed Canary',
          'rollout.enabled=false\ncanary.enabled=true\ncanary.fate=failed',
          'Rule: Canary Failed after 2 failed checks',
        ] as const,
      ]),
    )(
      '%s: %s fails fast with the rule named',
      async (version, _, set, rule) => {
        const suffix = /fate=(\w+)/.exec(set.split('\n').at(-1) ?? '')?.[1] ?? 'x'
        const run = await deploy(version, suffix, set)
        expect(run.exitCode).toBe(1)
        expect(errorLine(run)).toContain(rule)
        // Helm 3 may still be running when the controller's verdict comes (fail-fast then stops it).
        if (version === 'v4.1.4') expect(errorLine(run)).toContain('failed after helm returned')
      },
      240_000,
    )
  },
)
