/**
 * The family of a failed `helm upgrade --install`, read from helm's own words, so that the hint
 * fits the failure (a missing chart is not a readiness timeout). The patterns are the messages of
 * helm 3.17 and 4.1, taken from runs against the lab (see the table test of failure-kind).
 */
export type HelmFailureKind =
  | { readonly kind: 'unreachable'; readonly why: UnreachableWhy }
  | { readonly kind: 'chart-missing' }
  | { readonly kind: 'port-protocol' }
  | { readonly kind: 'apply-conflict'; readonly conflicts: readonly ApplyConflict[] }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'other' }

/** Why helm did not reach the API server. */
export type UnreachableWhy = 'no-kubeconfig' | 'refused' | 'dns' | 'tls' | 'network'

/** One field of a server-side apply conflict: who owns it. */
export interface ApplyConflict {
  readonly manager: string
  readonly field: string
}

// Helm 3: "Kubernetes cluster unreachable: Get ...", Helm 4: "kubernetes cluster unreachable: Get ...".
const UNREACHABLE = /kubernetes cluster unreachable/i
const UNREACHABLE_WHY: readonly [RegExp, UnreachableWhy][] = [
  // client-go's default when no kubeconfig (and no in-cluster config) exists.
  [/"?http:\/\/localhost:8080\//, 'no-kubeconfig'],
  [/connect: connection refused/, 'refused'],
  [/no such host|server misbehaving/, 'dns'],
  [/x509: |tls: /, 'tls'],
]

// A local path: `path "./x" not found`; a repository: `chart "x" not found in <url> repository`,
// `chart "x" version "1.2.3" not found in <url> repository`, or an index that cannot be fetched.
const CHART_MISSING =
  /Error: path "[^"]*" not found|chart "[^"]*"(?: version "[^"]*")? not found in .* repository|is not a valid chart repository or cannot be reached|no chart name found|no chart version found for/

// Helm 4 applies server-side: the API server's structured merge rejects a port list entry without
// its key field, "associative list with keys has an element that omits key field "protocol"".
const PORT_PROTOCOL = /omits key field \\?"protocol\\?"/
// `Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas`
const APPLY_CONFLICT = /Apply failed with \d+ conflicts?: /

// Objects the API server or helm refused as they were rendered: a schema, a field, a template.
const INVALID =
  /unable to build kubernetes objects from release manifest|error validating data|is invalid: |YAML parse error|parse error at|execution error at|executing "[^"]*" at <|values don't meet the specifications of the schema|failed to create typed patch object|unable to recognize ""|no matches for kind/

// helm's wait gave up: Helm 3 "timed out waiting for the condition", Helm 4 "context deadline exceeded".
const TIMED_OUT = /timed out waiting for the condition|context deadline exceeded|timed out waiting/

/** The family of helm's failure, by what it printed on stderr. */
export function classifyHelmFailure(stderr: string): HelmFailureKind {
  if (UNREACHABLE.test(stderr)) {
    const why = UNREACHABLE_WHY.find(([pattern]) => pattern.test(stderr))?.[1] ?? 'network'
    return { kind: 'unreachable', why }
  }
  if (CHART_MISSING.test(stderr)) return { kind: 'chart-missing' }
  if (PORT_PROTOCOL.test(stderr)) return { kind: 'port-protocol' }
  if (APPLY_CONFLICT.test(stderr)) return { kind: 'apply-conflict', conflicts: applyConflicts(stderr) }
  if (INVALID.test(stderr)) return { kind: 'invalid' }
  if (TIMED_OUT.test(stderr)) return { kind: 'timeout' }
  return { kind: 'other' }
}

/** Whether helm failed because its wait for readiness ran out of time (and nothing else went wrong first). */
export function isTimeout(stderr: string): boolean {
  return classifyHelmFailure(stderr).kind === 'timeout'
}

/**
 * The fields of a server-side apply conflict and their managers, as the API server lists them after
 * helm's last `Error:`: `conflicts with "<manager>"[ using <apiVersion>]:` then `- <field>` lines, or
 * for one field `conflict with "<manager>"[ using <apiVersion>]: <field>`.
 */
export function applyConflicts(stderr: string): ApplyConflict[] {
  const lines = stderr.split(/\r?\n/)
  const start = lines.findLastIndex((line) => line.startsWith('Error:'))
  const conflicts: ApplyConflict[] = []
  let manager: string | undefined
  // A failed rollback repeats the error after the field list ("- .spec.replicas: conflict occurred ...").
  for (const line of lines.slice(Math.max(0, start))) {
    const owner = /conflicts? with "([^"]+)"(?: using \S+)?:(?: (\.\S+?))?(?::\s|$)/.exec(line)
    if (owner?.[1] !== undefined) manager = owner[1]
    const field = owner?.[2] ?? /^\s*- (\.\S+?)(?::\s|$)/.exec(line)?.[1]
    const isNew = !conflicts.some((known) => known.manager === manager && known.field === field)
    if (field !== undefined && manager !== undefined && isNew) conflicts.push({ manager, field })
  }
  return conflicts
}
