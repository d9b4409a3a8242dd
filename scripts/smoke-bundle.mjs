// A smoke run of the committed bundle, as a runner starts it, on any OS (CI runs it on Windows and
// macOS): the token plugin signs with keys from its environment, the main step refuses a bad input
// before any network call, and the post step with nothing to clean up succeeds.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const temp = mkdtempSync(path.join(os.tmpdir(), 'smoke-bundle-'))
const base = { PATH: process.env.PATH ?? '', RUNNER_TEMP: temp, HOME: temp, USERPROFILE: temp }
const run = (script, env) =>
  spawnSync(process.execPath, [path.join('dist', ...script.split('/'))], {
    env: { ...base, ...env },
    encoding: 'utf8',
  })
const checks = []
const check = (name, ok, detail) => {
  checks.push(ok)
  process.stdout.write(`${ok ? 'ok' : 'FAILED'}: ${name}${ok ? '' : `\n${detail}`}\n`)
}

try {
  const token = spawnSync(
    process.execPath,
    [path.join('dist', 'token', 'index.js'), '--cluster-name', 'smoke', '--region', 'eu-west-1'],
    { env: { ...base, AWS_ACCESS_KEY_ID: 'AKIASMOKE', AWS_SECRET_ACCESS_KEY: 'smoke' }, encoding: 'utf8' },
  )
  const credential = token.status === 0 ? JSON.parse(token.stdout) : undefined
  check(
    'dist/token/index.js prints an ExecCredential with an EKS token',
    credential?.kind === 'ExecCredential' && credential.status.token.startsWith('k8s-aws-v1.'),
    token.stderr,
  )

  const output = path.join(temp, 'output')
  writeFileSync(output, '')
  const main = run('index.js', {
    'INPUT_AWS-REGION': 'not-a-region',
    INPUT_PHASES: 'auto',
    GITHUB_OUTPUT: output,
  })
  check(
    'dist/index.js refuses a bad input with a message naming it',
    main.status === 1 && main.stdout.includes("Input 'aws-region'"),
    `${main.stdout}${main.stderr}`,
  )

  const post = run('post/index.js', {})
  check(
    'dist/post/index.js with nothing to clean up succeeds',
    post.status === 0,
    `${post.stdout}${post.stderr}`,
  )
} finally {
  rmSync(temp, { recursive: true, force: true })
}
const failed = checks.filter((ok) => !ok).length
process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`)
process.exitCode = failed === 0 ? 0 : 1
