import type { ChildProcess } from 'node:child_process'
import http from 'node:http'
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch'
import type { ActionRun } from '../fixtures/action-runner.js'
import { startLabDeployer, WITH_DEPLOYMENT, type LabDeployer } from '../fixtures/lab-deploy.js'
import { describeWithLab } from '../fixtures/lab.js'
import { listenOnLoopback, type LoopbackServer } from '../fixtures/loopback-server.js'
import { describeWithMoto, startMoto, type MotoServer } from '../fixtures/moto.js'

// Issue 24 on the lab: the checks after a rollout keep a good release and roll a bad one back, with
// the reason in the log, the summary and the outputs. The fake kubelet decides the test pod's fate
// (an image with `fail` fails); a loopback server plays the application; moto holds the alarms.
// Two chains of deploys run side by side (Helm 4, Helm 3), each in its own namespace.
const PREFIX = `vl${process.pid.toString(36)}`

/** Calls `act` once, when the action's output first shows `pattern`: events follow the action, never a delay. */
function onOutput(pattern: RegExp, act: (child: ChildProcess) => void): (child: ChildProcess) => void {
  return (child) => {
    let seen = ''
    let done = false
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (!done && pattern.test(seen)) {
        done = true
        act(child)
      }
    })
  }
}

describeWithLab('verification after the rollout (bundled action, lab, Helm 3 and 4)', (lab) => {
  describeWithMoto('with CloudWatch alarms in moto', () => {
    let deployer: LabDeployer
    let moto: MotoServer
    let app: LoopbackServer
    let cloudwatch: CloudWatchClient
    const requests: Record<string, number> = {}

    beforeAll(async () => {
      ;[deployer, moto] = await Promise.all([startLabDeployer(lab, PREFIX), startMoto()])
      app = await listenOnLoopback(
        http.createServer((request, response) => {
          void answer(request.url ?? '/').then((status) => {
            response.writeHead(status, { 'content-type': 'application/json' })
            response.end(JSON.stringify({ status: status === 200 ? 'ok' : 'error' }))
          })
        }),
      )
      cloudwatch = new CloudWatchClient({
        region: 'us-east-1',
        endpoint: moto.url,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      })
      for (const name of [`${PREFIX}-h4-5xx`, `${PREFIX}-h3-5xx`, `${PREFIX}-h3-latency`])
        await cloudwatch.send(
          new PutMetricAlarmCommand({
            AlarmName: name,
            MetricName: 'HTTPCode_Target_5XX_Count',
            Namespace: 'AWS/ApplicationELB',
            Statistic: 'Sum',
            Period: 60,
            EvaluationPeriods: 1,
            Threshold: 5,
            ComparisonOperator: 'GreaterThanThreshold',
          }),
        )
    }, 120_000)
    /**
     * The application: /recovers answers 503 twice (new pods warming up), then 200; /app/<namespace>
     * answers 500 while the cluster runs its image tag v2 (the bad version), else 200.
     */
    const answer = async (path: string): Promise<number> => {
      requests[path] = (requests[path] ?? 0) + 1
      if (path.startsWith('/recovers')) return requests[path] <= 2 ? 503 : 200
      const namespace = path.split('/')[2] ?? ''
      const image = await deployer.deployedImage(namespace).catch(() => '')
      return image.endsWith(':v2') ? 500 : 200
    }
    afterAll(async () => {
      cloudwatch.destroy()
      await Promise.all([deployer.stop(), moto.stop(), app.stop()])
    })

    const awsEnv = () => ({
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: moto.url,
    })
    const setAlarm = (name: string, state: 'OK' | 'ALARM') =>
      cloudwatch.send(
        new SetAlarmStateCommand({
          AlarmName: name,
          StateValue: state,
          StateReason: `set by the test: ${state}`,
        }),
      )
    const expectRolledBackTo = async (run: ActionRun, namespace: string, revision: number) => {
      expect(run.exitCode).toBe(1)
      expect(run.outputs).toMatchObject({ verified: 'false', 'rolled-back': 'true' })
      expect(run.stdout).toContain(`Rolled back to revision ${revision}.`)
      expect(run.summary).toContain(`rolled back to revision ${revision}`)
      const status = await deployer.releaseStatus(namespace)
      expect(status?.status).toBe('deployed')
    }

    test.concurrent(
      'Helm 4: helm test, a URL that recovers within its retries and alarms that stay OK keep the release; a failing test hook rolls it back',
      async () => {
        const namespace = deployer.namespace('h4')
        const good = await deployer.deploy(
          'v4.1.4',
          namespace,
          {
            set: `${WITH_DEPLOYMENT}\nhelmTest.enabled=true`,
            'helm-test': 'true',
            'verify-urls': `${app.url}/recovers?token=s3cret 200 "status":"ok"`,
            'verify-alarms': `${PREFIX}-h4-*`,
            'bake-minutes': '0.05',
            'verify-timeout': '2m',
          },
          { env: awsEnv() },
        )
        expect(good.exitCode).toBe(0)
        expect(good.outputs).toMatchObject({
          verified: 'true',
          'rolled-back': 'false',
          'release-revision': '1',
        })
        expect(good.stdout).toContain('Passed: helm test')
        expect(good.stdout).toMatch(
          /Passed: GET http:\/\/127\.0\.0\.1:\d+\/recovers\?token=\*\*\* \([\d.]+ s\): 200 after 3 tries/,
        )
        expect(good.stdout).toMatch(/Baking: 0:0\d of 0:03, 1 alarm not in ALARM/)
        expect(good.stdout).not.toContain('s3cret')
        expect(good.summary).toContain('#### Verification of revision 1: passed')
        expect(good.summary).toMatch(/\| helm test \| ✅ passed \| [\d.]+ s \| 1 test pod succeeded/)

        const bad = await deployer.deploy('v4.1.4', namespace, {
          set: `${WITH_DEPLOYMENT}\nhelmTest.enabled=true\nhelmTest.image=example/smoke-fail:2\nimage.tag=v2`,
          'helm-test': 'true',
        })
        await expectRolledBackTo(bad, namespace, 1)
        expect(bad.outputs['failure-reason']).toMatch(
          /^verification: helm test: demo-smoke-test: Error \(exit 1\)/,
        )
        expect(bad.stdout).toContain('Log of test pod demo-smoke-test, container smoke:')
        expect(bad.summary).toContain(
          '<details><summary>Log of test pod demo-smoke-test, container smoke</summary>',
        )
        expect(await deployer.releaseStatus(namespace)).toEqual({ revision: 3, status: 'deployed' })
      },
      300_000,
    )

    test.concurrent(
      'Helm 3: a URL that turns bad after the rollout and an alarm in ALARM during the bake roll back; a cancel during the bake leaves it deployed',
      async () => {
        const namespace = deployer.namespace('h3')
        const first = await deployer.deploy('v3.17.3', namespace, {})
        expect(first.exitCode).toBe(0)

        const turnsBad = await deployer.deploy('v3.17.3', namespace, {
          set: `${WITH_DEPLOYMENT}\nimage.tag=v2`,
          'verify-urls': `${app.url}/app/${namespace}`,
          'verify-timeout': '15s',
        })
        await expectRolledBackTo(turnsBad, namespace, 1)
        expect(turnsBad.outputs['failure-reason']).toMatch(
          /^verification: GET http:\/\/127\.0\.0\.1:\d+\/app\/[-a-z0-9]+: answered 500 \(expected 2xx\) on \d+ tr/,
        )
        expect(turnsBad.summary).toMatch(/\| GET http:\/\/127\.0\.0\.1:\d+\/app\/[-a-z0-9]+ \| ❌ failed \|/)

        const alarmed = await deployer.deploy(
          'v3.17.3',
          namespace,
          {
            set: `${WITH_DEPLOYMENT}\nimage.tag=v3`,
            'verify-alarms': `${PREFIX}-h3-5xx, ${PREFIX}-h3-latency`,
            'bake-minutes': '0.5',
            'verify-timeout': '2m',
          },
          {
            env: awsEnv(),
            onSpawn: onOutput(/Baking: /, () => void setAlarm(`${PREFIX}-h3-5xx`, 'ALARM')),
          },
        )
        await expectRolledBackTo(alarmed, namespace, 3)
        expect(alarmed.outputs['failure-reason']).toContain(
          `verification: alarms ${PREFIX}-h3-5xx, ${PREFIX}-h3-latency: alarm ${PREFIX}-h3-5xx is in ALARM: set by the test: ALARM`,
        )
        await setAlarm(`${PREFIX}-h3-5xx`, 'OK')

        const cancelled = await deployer.deploy(
          'v3.17.3',
          namespace,
          {
            set: `${WITH_DEPLOYMENT}\nimage.tag=v4`,
            'verify-alarms': `${PREFIX}-h3-5xx`,
            'bake-minutes': '0.5',
            'verify-timeout': '2m',
          },
          {
            env: awsEnv(),
            onSpawn: onOutput(/Baking: /, (child) => child.kill('SIGTERM')),
          },
        )
        expect(cancelled.exitCode).toBe(1)
        expect(cancelled.stdout).toContain('Received SIGTERM during verification: stopping it cleanly.')
        expect(cancelled.outputs).toMatchObject({
          verified: 'false',
          'rolled-back': 'false',
          'release-revision': '6',
        })
        expect(cancelled.stdout).toContain('the release is left deployed as it was, unverified')
        expect(await deployer.releaseStatus(namespace)).toEqual({ revision: 6, status: 'deployed' })
      },
      300_000,
    )
  })
})
