import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { HELM_GATE_ENV, HELM_GATE_PID_ENV, passGate } from '../../../src/eks-token/gate.js'
import { helmGate } from '../../../src/helm/gate.js'

/** The step's side (helm/gate.ts) and the token plugin's (eks-token/gate.ts), on real files. */
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'helm-gate-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const settled = <T>(promise: Promise<T>): Promise<'pending' | 'resolved' | 'rejected'> =>
  Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => {
      setTimeout(() => {
        resolve('pending')
      }, 200)
    }),
  ])

describe('helm gate', () => {
  test('the plugin waits until the step opens the gate; the step learns when helm asked', async () => {
    const gate = helmGate(dir)
    expect(gate.env[HELM_GATE_PID_ENV]).toBe(String(process.pid))
    expect(await gate.askedAt()).toBeUndefined()
    const before = Date.now()
    const passing = passGate(gate.env[HELM_GATE_ENV] ?? '', process.pid)
    expect(await settled(passing)).toBe('pending')
    const asked = await gate.askedAt()
    expect(asked).toBeGreaterThanOrEqual(before - 1000)
    await gate.open()
    await expect(passing).resolves.toBeUndefined()
    // A plugin run later (a token refresh) passes at once.
    await expect(passGate(gate.env[HELM_GATE_ENV] ?? '', process.pid)).resolves.toBeUndefined()
    const files = await readdir(dir)
    expect(files.sort()).toEqual(['helm-gate', 'helm-gate.asked'])
    expect((await stat(path.join(dir, 'helm-gate'))).mode & 0o777).toBe(0o600)
    await gate.remove()
    expect(await readdir(dir)).toEqual([])
  })

  test('refused: the plugin fails with the reason, now and later; a refusal once made stays', async () => {
    const gate = helmGate(dir)
    const file = gate.env[HELM_GATE_ENV] ?? ''
    const waiting = expect(passGate(file, process.pid)).rejects.toThrow(
      'the deploy step started helm ahead of its pre-flight and stopped it: the pre-flight found a missing right',
    )
    await gate.refuse('the pre-flight found\na missing right')
    await waiting
    await gate.open()
    await expect(passGate(file, process.pid)).rejects.toThrow(/stopped it/)
  })

  test('the step has ended without an answer: the plugin gives up instead of waiting for ever', async () => {
    const ended = spawn(process.execPath, ['-e', ''])
    const pid = ended.pid ?? 0
    await new Promise((resolve) => ended.on('exit', resolve))
    const gate = helmGate(dir)
    await expect(passGate(gate.env[HELM_GATE_ENV] ?? '', pid)).rejects.toThrow(
      'the deploy step that started helm ended without letting it run',
    )
  })
})
