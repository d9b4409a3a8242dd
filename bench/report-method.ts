import type { BenchResults } from './results.js'

/** How the figures were made: machine, CLI, runs, environments, what each scenario does. */
export function methodSection(results: BenchResults): string[] {
  const m = results.machine
  const cli =
    results.cli.kind === 'found'
      ? `${results.cli.cli.version}, started as \`${[results.cli.cli.command, ...results.cli.cli.prefixArgs].join(' ')}\` (found by ${results.cli.cli.foundBy})`
      : `not found (${results.cli.reason}): the AWS CLI rows are skipped`
  return [
    '## How this was measured',
    '',
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.os}, Node ${m.node}, moto ${m.moto}; load average ${m.loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${m.loadAfter.map((l) => l.toFixed(2)).join(' ')} after. Other work on the machine makes single runs noisy: read the medians.`,
    `- AWS CLI: ${cli}.`,
    "- CPU: user + system time of the run's processes (the bench's reaped children, from /proc/self/stat, 10 ms ticks). Other load on the machine stretches wall times much more than CPU times.",
    `- Each figure: ${results.runs} runs, interleaved (every round runs each scenario once, starting one further along each round), after one untimed warm-up round; median, min and max. A time is a whole process, spawn to exit, as a workflow step waits for it.`,
    "- Every child gets an environment built from scratch, as the runner builds it: PATH and HOME, then only what the step needs. None of this machine's NODE_EXTRA_CA_CERTS (about 90 ms per Node start; runners do not set it) or AWS_CA_BUNDLE.",
    "- ours: `node dist/index.js` started by the integration tests' fixture (`__tests__/fixtures/action-runner.ts`): INPUT_* with action.yml defaults, GITHUB_OUTPUT/ENV/STATE/PATH/STEP_SUMMARY files, RUNNER_TEMP, HOME, ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN of the OIDC fixture, AWS_ENDPOINT_URL of moto_server. Inputs of the full run: " +
      '`phases: auth,ecr-login,kubeconfig`, a role, a region, `ecr-repository` with `image-tag` of an image pushed to moto and `require-image: true`, `cluster-name` of a cluster created in moto.',
    '- AWS CLI route: the three commands one after another, the credentials of the first passed to the next two as AWS_ACCESS_KEY_ID/SECRET/SESSION_TOKEN, `update-kubeconfig` writing a temp kubeconfig; its time is the sum of the three processes. It is given its JWT (from the same OIDC fixture) before the clock starts, where ours fetches its own inside its time; it does no image check, where ours does.',
    '- token: both sign a presigned STS GetCallerIdentity offline with the same session credentials, AWS_ENDPOINT_URL_STS pointing at moto.',
    '- cold start: the full inputs with `aws-region: not-a-region`, so the action stops in its input check; checked to make no call.',
    '- "n/a (phase not in this build)": the bundle refused the phase or made none of its calls (ecr-login, kubeconfig and the token plugin are merged later); the script measures them unchanged once they exist.',
    '',
  ]
}
