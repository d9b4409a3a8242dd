import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import {
  makeRunnerFiles,
  runAction,
  runPost,
  type ActionRun,
  type RunnerFiles,
} from '../fixtures/action-runner.js'
import { ACCOUNT, CHART, REGION, REPOSITORY, RUN_ID, SHA } from '../fixtures/eks-e2e.js'
import { startEksStack, type EksStack } from '../fixtures/eks-stack.js'
import { addAccessEntry, describeWithEksLab, labCommand, waitFor } from '../fixtures/lab.js'

// The release lock on the lab, with the bundled action as two workflows would run it: two deploys of
// one release at once, a holder killed with SIGKILL, an identity that may not use Leases. Where a deploy
// must still hold the lock when the next one looks, its helm waits at `upgrade` for the test's go (a
// wrapper around the lab's helm 4): the order comes from signals, never from how fast the machine is.
const DEPLOY_ROLE = `arn:aws:iam::${ACCOUNT}:role/lock-deploy-${RUN_ID}`
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/lock-ns-admin-${RUN_ID}`
const ADMIN_USER = `lock-ns-admin-${RUN_ID}`
const RELEASE = 'demo'
const LEASE = `eks-deploy-action.${RELEASE}`

const failureOf = (run: ActionRun): string =>
  (/^::error::(.*)$/m.exec(run.stdout)?.[1] ?? '').replace(/%0A/g, '\n').replace(/%25/g, '%')
const runUrl = (runId: string): string => `https://github.com/octo-org/octo-repo/actions/runs/${runId}`

describeWithEksLab('the release lock on the EKS lab', (lab) => {
  let stack: EksStack | undefined
  let wrapperDir = ''
  const undo: (() => Promise<unknown>)[] = []
  const kubectl = (args: string[]) => labCommand(lab, lab.kubectl, args)

  beforeAll(async () => {
    stack = await startEksStack({
      lab,
      region: REGION,
      repository: REPOSITORY,
      tags: ['0123456'],
      helmVersions: ['v4.1.4', 'v3.17.3'],
      deployRole: DEPLOY_ROLE,
      name: 'release-lock',
    })
    undo.push(() => stack?.stop() ?? Promise.resolve())
    undo.push(
      await addAccessEntry(lab, ADMIN_ROLE, { username: ADMIN_USER, groups: [] }, 'release-lock-admin'),
    )
    wrapperDir = await fs.mkdtemp(path.join(stack.binDir, '..', 'held-helm-'))
    // helm, but `upgrade` first says it started (with its pid) and waits for the test's go file; with
    // HELD_HELM_IGNORE_TERM it ignores SIGTERM too (a helm whose rollback outlasts the runner's grace).
    // A helm started ahead of the pre-flight (ahead.ts) says so only once its gate is open, where the
    // real one would send its first request: the lock is held by then.
    await fs.writeFile(
      path.join(wrapperDir, 'helm'),
      [
        '#!/bin/sh',
        'if [ "$1" = upgrade ]; then',
        '  [ -n "$HELD_HELM_IGNORE_TERM" ] && trap "" TERM',
        '  if [ -n "$EKS_DEPLOY_ACTION_HELM_GATE" ]; then',
        '    while [ ! -e "$EKS_DEPLOY_ACTION_HELM_GATE" ]; do /bin/sleep 0.05; done',
        '    read -r answer < "$EKS_DEPLOY_ACTION_HELM_GATE"',
        `    [ "$answer" = open ] || exec ${lab.helm4} "$@"`,
        '  fi',
        '  echo $$ > "$HELD_HELM_MARK.started"',
        '  while [ ! -e "$HELD_HELM_MARK.go" ]; do sleep 0.1; done',
        'fi',
        `exec ${lab.helm4} "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    )
  })
  afterAll(async () => {
    for (const step of undo.reverse()) await step().catch(() => undefined)
  })

  async function namespaceOf(suffix: string): Promise<string> {
    const namespace = `lock-${RUN_ID}-${suffix}`
    await kubectl(['create', 'namespace', namespace])
    undo.push(() => kubectl(['delete', 'namespace', namespace, '--wait=false']))
    return namespace
  }

  interface Deploy {
    readonly namespace: string
    readonly runId: string
    readonly role?: string
    /** A helm whose upgrade waits for `${mark}.go` (and writes `${mark}.started`). */
    readonly heldMark?: string
    /** The held helm ignores SIGTERM. */
    readonly isDeaf?: boolean
    readonly helm?: 'v4.1.4' | 'v3.17.3'
    readonly inputs?: Record<string, string>
    readonly onSpawn?: (child: ChildProcess) => void
  }

  /** The runner's environment and the deploy's inputs, as a workflow step of the given run would have them. */
  function stepOf(options: Deploy, files: RunnerFiles) {
    const current = stack
    if (current === undefined) throw new Error('no stack')
    const isHeld = options.heldMark !== undefined
    return {
      files,
      inputs: {
        'role-to-assume': options.role ?? DEPLOY_ROLE,
        'aws-region': REGION,
        'ecr-repository': REPOSITORY,
        'cluster-name': lab.clusterName,
        release: RELEASE,
        chart: CHART,
        namespace: options.namespace,
        set: 'deployment.enabled=true\ndeployment.replicas=1',
        timeout: '60s',
        'helm-version': isHeld ? 'system' : (options.helm ?? 'v4.1.4'),
        'helm-mirror': current.mirror.url,
        ...options.inputs,
      },
      env: {
        PATH: isHeld ? `${wrapperDir}:${current.binDir}` : current.binDir,
        RUNNER_TOOL_CACHE: current.toolCache,
        GITHUB_SHA: SHA,
        GITHUB_RUN_ID: options.runId,
        GITHUB_WORKFLOW: 'deploy',
        ACTIONS_ID_TOKEN_REQUEST_URL: current.oidc.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: current.oidc.requestToken,
        AWS_ENDPOINT_URL: current.proxy.url,
        // A killed holder's lock expires in seconds here (30 s in a run).
        EKS_DEPLOY_ACTION_LOCK_LEASE_SECONDS: '3',
        ...(isHeld ? { HELD_HELM_MARK: options.heldMark } : {}),
        ...(options.isDeaf === true ? { HELD_HELM_IGNORE_TERM: '1' } : {}),
      },
      ...(options.onSpawn === undefined ? {} : { onSpawn: options.onSpawn }),
    }
  }

  async function deploy(options: Deploy): Promise<ActionRun> {
    const files = await makeRunnerFiles()
    try {
      return await runAction(stepOf(options, files))
    } finally {
      await files.cleanup()
    }
  }

  /** The main step, then the post step as the runner runs it: its state replayed, the exported variables in its environment. */
  async function deployThenPost(
    options: Deploy,
  ): Promise<{ readonly main: ActionRun; readonly post: ActionRun }> {
    const files = await makeRunnerFiles()
    try {
      const step = stepOf(options, files)
      const main = await runAction(step)
      const post = await runPost({ ...step, env: { ...step.env, ...main.exportedEnv }, state: main.state })
      return { main, post }
    } finally {
      await files.cleanup()
    }
  }

  const leaseHolder = (namespace: string): Promise<string> =>
    kubectl(['-n', namespace, 'get', 'lease', LEASE, '-o', 'jsonpath={.spec.holderIdentity}'])
  const revisions = async (namespace: string, name = RELEASE): Promise<string[]> => {
    const history = JSON.parse(
      await labCommand(lab, lab.helm4, ['history', name, '-n', namespace, '-o', 'json']),
    ) as { revision: number; status: string }[]
    return history.map((entry) => `${entry.revision} ${entry.status}`)
  }
  const untilFile = (file: string) =>
    waitFor(file, async () => ((await fs.stat(file).catch(() => undefined)) ? true : undefined))

  /** `step`, unless the deploy ends first: then the failure is its log, not a test timeout. */
  const unlessEnded = <T>(step: Promise<T>, run: Promise<{ readonly main: ActionRun }>): Promise<T> =>
    Promise.race([
      step,
      run.then(({ main }) => {
        throw new Error(`The deploy ended (exit ${main.exitCode}) first:\n${main.stdout.slice(-3000)}`)
      }),
    ])

  test('two deploys of one release at once: the second queues behind the first run, then upgrades', async () => {
    const namespace = await namespaceOf('two')
    const mark = path.join(wrapperDir, 'two')
    const first = deploy({ namespace, runId: '5001', heldMark: mark })
    await untilFile(`${mark}.started`)
    // The first holds the lock and its helm is at `upgrade`: the second starts now.
    let queued: () => void = () => undefined
    const isQueued = new Promise<void>((resolve) => (queued = resolve))
    const second = deploy({
      namespace,
      runId: '5002',
      onSpawn: (child) => {
        let out = ''
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('queued behind')) queued()
        })
      },
    })
    await isQueued
    await fs.writeFile(`${mark}.go`, '')
    const [a, b] = await Promise.all([first, second])
    expect([a.exitCode, failureOf(a), b.exitCode, failureOf(b)]).toEqual([0, '', 0, ''])
    expect(b.stdout).toContain(
      `Release lock ${namespace}/${LEASE}: queued behind ${runUrl('5001')} (workflow "deploy") (0s so far).`,
    )
    expect(a.stdout).not.toContain('queued behind')
    expect(`${a.stdout}${b.stdout}`).not.toContain('another operation')
    expect(a.outputs['release-revision']).toBe('1')
    expect(b.outputs['release-revision']).toBe('2')
    expect(await revisions(namespace)).toEqual(['1 superseded', '2 deployed'])
    // Both gave the lock up: nobody holds it.
    expect(await leaseHolder(namespace)).toBe('')
    expect(b.summary).toMatch(
      new RegExp(`\\| Release lock \\| \`${namespace}/${LEASE}\` \\(queued \\d+s\\) \\|`),
    )
  })

  test('a holder killed with SIGKILL: the next deploy takes the lock over once it is no longer renewed', async () => {
    const namespace = await namespaceOf('killed')
    const mark = path.join(wrapperDir, 'killed')
    let holder: ChildProcess | undefined
    const killed = deploy({ namespace, runId: '6001', heldMark: mark, onSpawn: (child) => (holder = child) })
    await untilFile(`${mark}.started`)
    // The runner dies with its processes: the action and its helm, each by its pid.
    const helmPid = Number((await fs.readFile(`${mark}.started`, 'utf8')).trim())
    holder?.kill('SIGKILL')
    process.kill(helmPid, 'SIGKILL')
    expect((await killed).exitCode).not.toBe(0)
    expect(await leaseHolder(namespace)).toContain('run 6001')
    const next = await deploy({ namespace, runId: '6002' })
    expect([next.exitCode, failureOf(next)]).toEqual([0, ''])
    expect(next.stdout).toContain(`queued behind ${runUrl('6001')}`)
    expect(next.stdout).toMatch(
      new RegExp(
        `^::warning::Release lock ${namespace}/${LEASE}: took it over from ${runUrl('6001')} \\(workflow "deploy"\\), which stopped renewing it 3s ago`,
        'm',
      ),
    )
    expect(next.outputs['release-revision']).toBe('1')
    expect(await leaseHolder(namespace)).toBe('')
  })

  test('a cancelled deploy killed before it could give the lock up: the post step releases it, the next deploy takes it at once', async () => {
    const namespace = await namespaceOf('cancel')
    const mark = path.join(wrapperDir, 'cancel')
    let holder: ChildProcess | undefined
    const cancelled = deployThenPost({
      namespace,
      runId: '9001',
      heldMark: mark,
      isDeaf: true,
      onSpawn: (child) => (holder ??= child),
    })
    await unlessEnded(untilFile(`${mark}.started`), cancelled)
    // The runner cancels: SIGTERM, which the action passes to helm; helm does not end within the
    // runner's grace, so the runner kills the step's processes, then runs the post step.
    let isPassedOn: () => void = () => undefined
    const passedOn = new Promise<void>((resolve) => (isPassedOn = resolve))
    let out = ''
    holder?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Received SIGTERM: passing it to')) isPassedOn()
    })
    holder?.kill('SIGTERM')
    await unlessEnded(passedOn, cancelled)
    expect(await leaseHolder(namespace)).toContain('run 9001')
    holder?.kill('SIGKILL')
    process.kill(Number((await fs.readFile(`${mark}.started`, 'utf8')).trim()), 'SIGKILL')
    const { main, post } = await cancelled
    expect(main.exitCode).not.toBe(0)
    expect([post.exitCode, post.stdout]).toEqual([
      0,
      expect.stringContaining(
        `Release lock ${namespace}/${LEASE}: released (the main step ended before it could give it up).`,
      ),
    ])
    expect(post.stdout).not.toMatch(/^::warning::/m)
    expect(await leaseHolder(namespace)).toBe('')
    // The next deploy neither queues nor waits for the lease to expire, and finds no pending release.
    const { main: next, post: nextPost } = await deployThenPost({ namespace, runId: '9002' })
    expect([next.exitCode, failureOf(next)]).toEqual([0, ''])
    // It gave the lock up itself: its post step has nothing to release.
    expect(JSON.parse(next.state.cleanup ?? '{}')).toMatchObject({ leases: [] })
    expect(nextPost.stdout).not.toContain('Release lock')
    expect(next.stdout).not.toContain('queued behind')
    expect(next.stdout).not.toContain('took it over')
    expect(next.summary).toMatch(
      new RegExp(`\\| Release lock \\| \`${namespace}/${LEASE}\` \\(no wait\\) \\|`),
    )
    expect(await revisions(namespace)).toEqual(['1 deployed'])
  }, 150_000)

  test('skip-unchanged: the same release again writes no revision, and says so', async () => {
    const namespace = await namespaceOf('same')
    // The api chart: the demo chart writes .Release.Revision into a ConfigMap, so it never renders the same twice.
    const chart = path.join(path.dirname(CHART), 'api')
    const first = await deploy({ namespace, runId: '8001', inputs: { chart } })
    expect([first.exitCode, first.outputs['release-revision']]).toEqual([0, '1'])
    const again = await deploy({ namespace, runId: '8002', inputs: { chart, 'skip-unchanged': 'true' } })
    expect([again.exitCode, failureOf(again)]).toEqual([0, ''])
    expect(again.stdout).toContain(
      `Release ${RELEASE} is unchanged: the chart renders exactly what revision 1 deployed, with the same values. No upgrade, no new revision (skip-unchanged: true).`,
    )
    expect(again.outputs).toMatchObject({ 'release-revision': '1', 'has-changes': 'false', changes: '[]' })
    expect(again.summary).toContain('| Skipped | unchanged: no upgrade, no new revision (skip-unchanged) |')
    expect(await revisions(namespace)).toEqual(['1 deployed'])
  })

  describe('an identity bound to the admin ClusterRole in its namespace (which grants no Leases)', () => {
    async function adminNamespace(suffix: string): Promise<string> {
      const namespace = await namespaceOf(suffix)
      await kubectl([
        '-n',
        namespace,
        'create',
        'rolebinding',
        'ns-admin',
        '--clusterrole=admin',
        `--user=${ADMIN_USER}`,
      ])
      return namespace
    }

    test('lock: required (Helm 3): refused before helm, with the Role and RoleBinding to grant', async () => {
      const namespace = await adminNamespace('required')
      const run = await deploy({
        namespace,
        runId: '7001',
        role: ADMIN_ROLE,
        helm: 'v3.17.3',
        inputs: { lock: 'required' },
      })
      expect(run.exitCode).toBe(1)
      const failure = failureOf(run)
      expect(failure).toContain(
        `Kubernetes user "${ADMIN_USER}" may not get, create, update leases.coordination.k8s.io in namespace ${namespace}, which the release lock of ${RELEASE} needs (lock: required). Nothing was changed: helm did not run`,
      )
      expect(failure).toContain(
        `kubectl -n ${namespace} create rolebinding eks-deploy-action-lock --role=eks-deploy-action-lock --user=${ADMIN_USER}`,
      )
      expect(run.stdout).not.toContain('::group::helm upgrade --install')
      await expect(revisions(namespace)).rejects.toThrow(/not found/)
    })

    test('lock: true (default, Helm 3): one warning with the grant, and the deploy goes ahead; granted, it takes the lock', async () => {
      const namespace = await adminNamespace('default')
      const run = await deploy({ namespace, runId: '7002', role: ADMIN_ROLE, helm: 'v3.17.3' })
      expect([run.exitCode, failureOf(run)]).toEqual([0, ''])
      const warnings = run.stdout.split('\n').filter((line) => line.startsWith('::warning::'))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(`deploying ${RELEASE} without the release lock`)
      expect(run.summary).toContain('| Release lock | not taken:')
      // The grant the warning gives, as written, makes the next deploy take the lock.
      const grant = /kubectl (-n \S+ create role .*?)%0A\s*kubectl (-n \S+ create rolebinding [^%]*)/.exec(
        warnings[0] ?? '',
      )
      for (const command of [grant?.[1], grant?.[2]]) await kubectl((command ?? 'missing').split(' '))
      const granted = await deploy({ namespace, runId: '7003', role: ADMIN_ROLE, helm: 'v3.17.3' })
      expect([granted.exitCode, failureOf(granted)]).toEqual([0, ''])
      expect(granted.stdout).not.toMatch(/^::warning::/m)
      expect(granted.summary).toMatch(
        new RegExp(`\\| Release lock \\| \`${namespace}/${LEASE}\` \\(no wait\\) \\|`),
      )
    })
  })
})
