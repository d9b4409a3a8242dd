/**
 * Text from the cluster (a kubelet's message, a pod name, an event) on one line: control characters
 * and line breaks become spaces, so nothing it holds can start a line of its own (a workflow command),
 * and long texts are cut.
 */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
