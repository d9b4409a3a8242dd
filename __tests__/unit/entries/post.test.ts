import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CLEANUP_STATE_NAME, encodeCleanupState } from '../../../src/action/cleanup.js'

// GitHub's local-action debugger imports the post entrypoint it is given (`--post src/post.ts`) and
// then calls its exported run(): importing it must do nothing, and run() must do the cleanup.
test('src/post.ts, as local-action --post loads it: nothing on import, the cleanup on run()', async () => {
  const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'post-entry-test-'))
  const saved = { ...process.env }
  try {
    const kubeconfigDir = path.join(temp, 'eks-kubeconfig-abc')
    await fs.mkdir(kubeconfigDir)
    process.env.RUNNER_TEMP = temp
    process.env[`STATE_${CLEANUP_STATE_NAME}`] = encodeCleanupState({ paths: [kubeconfigDir], leases: [] })
    const post = await import('../../../src/post.js')
    expect(await fs.stat(kubeconfigDir).then(() => 'kept')).toBe('kept')
    await post.run()
    await expect(fs.stat(kubeconfigDir)).rejects.toThrow(/ENOENT/)
  } finally {
    process.env = saved
    await fs.rm(temp, { recursive: true, force: true })
  }
})
