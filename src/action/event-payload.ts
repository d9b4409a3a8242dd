import { ActionError } from '../lib/errors.js'

/** Reads GITHUB_EVENT_PATH's payload once, when first asked (only what needs it asks). */
export function eventPayloadReader(
  eventPath: string | undefined,
  readFile: (path: string) => Promise<string>,
): () => Promise<unknown> {
  let payload: Promise<unknown> | undefined
  return () => (payload ??= readPayload(eventPath, readFile))
}

async function readPayload(
  eventPath: string | undefined,
  readFile: (path: string) => Promise<string>,
): Promise<unknown> {
  if (eventPath === undefined) return undefined
  try {
    return JSON.parse(await readFile(eventPath)) as unknown
  } catch (error) {
    throw new ActionError(`Could not read the event payload GITHUB_EVENT_PATH=${eventPath}.`, {
      cause: error,
      hint: "The runner writes it for every run; outside GitHub Actions, set 'image-tag' explicitly.",
    })
  }
}
