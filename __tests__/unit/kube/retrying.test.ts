import { retrying } from '../../../src/kube/kube-error.js'

// node-fetch 2's false "Premature close" on a kept-alive connection: the request goes once more.

const prematureClose = (): Error =>
  Object.assign(
    new Error('Invalid response body while trying to fetch https://127.0.0.1/apis: Premature close'),
    {
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    },
  )

test('a request cut short by a false premature close is sent once more, and its answer kept', async () => {
  const answers = [Promise.reject(prematureClose()), Promise.resolve('ok')]
  let sent = 0
  await expect(retrying(() => answers[sent++] ?? Promise.resolve('again'))).resolves.toBe('ok')
  expect(sent).toBe(2)
})

test('only once: a second premature close is the error', async () => {
  let sent = 0
  await expect(
    retrying(() => {
      sent += 1
      return Promise.reject(prematureClose())
    }),
  ).rejects.toThrow('Premature close')
  expect(sent).toBe(2)
})

test('any other failure is not sent again', async () => {
  let sent = 0
  await expect(
    retrying(() => {
      sent += 1
      return Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }),
      )
    }),
  ).rejects.toThrow('ECONNREFUSED')
  expect(sent).toBe(1)
})
