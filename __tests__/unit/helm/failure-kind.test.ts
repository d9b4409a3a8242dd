import { explainUpgradeFailure, type UpgradeFailure } from '../../../src/helm/failure.js'
import { applyConflicts, classifyHelmFailure } from '../../../src/helm/failure-kind.js'

// helm's stderr as helm 3.17.3 and 4.1.4 printed it against the lab (kube-apiserver 1.20), for
// `helm upgrade --install` with the flags the action passes (--wait, --atomic / --rollback-on-failure).
const HELM_MESSAGES: readonly (readonly [string, string, string])[] = [
  [
    '3',
    'timeout, rolled back',
    'Error: UPGRADE FAILED: release demo failed, and has been rolled back due to atomic being set: context deadline exceeded\n',
  ],
  [
    '3',
    'timeout, first install removed',
    'Release "demo2" does not exist. Installing it now.\nError: release demo2 failed, and has been uninstalled due to atomic being set: context deadline exceeded\n',
  ],
  ['3', 'timeout, no rollback', 'Error: UPGRADE FAILED: context deadline exceeded\n'],
  ['3', 'timeout, older helm 3 wording', 'Error: UPGRADE FAILED: timed out waiting for the condition\n'],
  [
    '4',
    'timeout, rolled back',
    'level=WARN msg="upgrade failed" name=demo error="resource Deployment/m4/demo not ready. status: InProgress, message: Available: 0/1\\ncontext deadline exceeded"\nError: UPGRADE FAILED: release demo failed, and has been rolled back due to rollback-on-failure being set: resource Deployment/m4/demo not ready. status: InProgress, message: Available: 0/1\ncontext deadline exceeded\n',
  ],
  [
    '4',
    'timeout, first install removed',
    'Release "demo2" does not exist. Installing it now.\nError: release demo2 failed, and has been uninstalled due to rollback-on-failure being set: resource Deployment/m4/demo2 not ready. status: InProgress, message: Available: 0/1\ncontext deadline exceeded\n',
  ],
  [
    '3',
    'unreachable: no kubeconfig',
    'Error: Kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp 127.0.0.1:8080: connect: connection refused\n',
  ],
  [
    '4',
    'unreachable: no kubeconfig',
    'Error: kubernetes cluster unreachable: Get "http://localhost:8080/version": dial tcp 127.0.0.1:8080: connect: connection refused\n',
  ],
  [
    '3',
    'unreachable: refused',
    'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:1/version": dial tcp 127.0.0.1:1: connect: connection refused\n',
  ],
  [
    '4',
    'unreachable: refused',
    'Error: kubernetes cluster unreachable: Get "https://127.0.0.1:1/version": dial tcp 127.0.0.1:1: connect: connection refused\n',
  ],
  [
    '4',
    'unreachable: dns',
    'Error: kubernetes cluster unreachable: Get "https://no-such-cluster.invalid/version": dial tcp: lookup no-such-cluster.invalid on 10.255.255.53:53: no such host\n',
  ],
  [
    '4',
    'unreachable: tls',
    `Error: kubernetes cluster unreachable: Get "https://127.0.0.1:21449/version": tls: failed to verify certificate: x509: cannot validate certificate for 127.0.0.1 because it doesn't contain any IP SANs\n`,
  ],
  [
    '4',
    'unreachable: network',
    'Error: kubernetes cluster unreachable: Get "https://10.0.0.1/version": dial tcp 10.0.0.1:443: i/o timeout\n',
  ],
  [
    '3',
    'chart-missing: path',
    'Release "demo" does not exist. Installing it now.\nError: path "./charts/nope" not found\n',
  ],
  [
    '4',
    'chart-missing: path',
    'Release "demo" does not exist. Installing it now.\nError: path "./charts/nope" not found\n',
  ],
  [
    '3',
    'chart-missing: repository chart',
    'Error: chart "nope" not found in http://127.0.0.1:21450/ repository\n',
  ],
  [
    '4',
    'chart-missing: repository version',
    'Release "demo6" does not exist. Installing it now.\nError: chart "nope" version "1.2.3" not found in http://127.0.0.1:21450/ repository\n',
  ],
  [
    '4',
    'chart-missing: repository unreachable',
    'Error: looks like "http://127.0.0.1:21451/" is not a valid chart repository or cannot be reached: Get "http://127.0.0.1:21451/index.yaml": dial tcp 127.0.0.1:21451: connect: connection refused\n',
  ],
  [
    '4',
    'port-protocol',
    'Release "demo3" does not exist. Installing it now.\nError: failed to create typed patch object: .spec.ports: element 0: associative list with keys has an element that omits key field "protocol" (and doesn\'t have default value)\n',
  ],
  [
    '4',
    'apply-conflict',
    'level=WARN msg="upgrade failed" name=demo5 error="conflict occurred while applying object m4/demo5 apps/v1, Kind=Deployment: Apply failed with 2 conflicts: conflicts with \\"ops-team\\":\\n- .spec.replicas\\n- .spec.template.spec.containers[name=\\"app\\"].image"\nError: UPGRADE FAILED: conflict occurred while applying object m4/demo5 apps/v1, Kind=Deployment: Apply failed with 2 conflicts: conflicts with "ops-team":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image\n',
  ],
  [
    '3',
    'invalid: rejected by the API server',
    `Error: UPGRADE FAILED: failed to create resource: ConfigMap "demo-INVALID_Name" is invalid: metadata.name: Invalid value: "demo-INVALID_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters\n`,
  ],
  [
    '4',
    'invalid: schema',
    'Error: UPGRADE FAILED: error validating "": error validating data: ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer"\n',
  ],
  [
    '3',
    'invalid: template',
    'Release "demo7" does not exist. Installing it now.\nError: template: bad/templates/cm.yaml:4:20: executing "bad/templates/cm.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y\n',
  ],
  [
    '4',
    'invalid: template',
    'Release "demo7" does not exist. Installing it now.\nError: bad/templates/cm.yaml:4:20\n  executing "bad/templates/cm.yaml" at <.Values.x.y>:\n    nil pointer evaluating interface {}.y\n',
  ],
  [
    '4',
    'other',
    'Error: UPGRADE FAILED: post-upgrade hooks failed: job demo-hook failed: BackoffLimitExceeded\n',
  ],
]

const failure = (stderr: string, overrides: Partial<UpgradeFailure> = {}): UpgradeFailure => ({
  release: 'demo',
  namespace: 'shop',
  exitCode: 1,
  stdout: '',
  stderr,
  state: { revision: 2, status: 'failed', description: 'Upgrade "demo" failed' },
  history: [],
  isRolledBack: false,
  ...overrides,
})

const READINESS = 'A timeout while waiting for readiness usually means'

/** What only each family's hint says. */
const HINT_OF: Readonly<Record<string, string>> = {
  timeout: READINESS,
  'unreachable: no kubeconfig':
    "helm had no kubeconfig and tried the default http://localhost:8080: set 'cluster-name'",
  'unreachable: refused': "Nothing answered at the API server's address",
  'unreachable: dns': "The API server's host name did not resolve on the runner",
  'unreachable: tls': "The API server's certificate did not verify against the kubeconfig's CA",
  'unreachable: network': "check the runner's network path to the cluster's endpoint",
  'chart-missing': 'did the job run actions/checkout?',
  'port-protocol': 'Add `protocol: TCP` to every port',
  'apply-conflict': '"ops-team" owns .spec.replicas, .spec.template.spec.containers[name="app"].image',
  invalid: '`helm template` with the same chart and values',
  other: 'kubectl get events -n shop',
}

describe("helm's failure → its family and its hint (real messages of helm 3.17 and 4.1)", () => {
  test.each(HELM_MESSAGES)('helm %s, %s', (_major, family, stderr) => {
    const kind = classifyHelmFailure(stderr)
    const [name, why] = family.split(/[:,] /)
    expect(kind.kind).toBe(name)
    if (kind.kind === 'unreachable') expect(kind.why).toBe(why === 'no kubeconfig' ? 'no-kubeconfig' : why)
    const error = explainUpgradeFailure(failure(stderr))
    const expected = HINT_OF[family] ?? HINT_OF[name ?? ''] ?? ''
    expect(error.hint).toContain(expected)
    // The readiness-timeout hint follows a timeout, and nothing else.
    expect(error.hint?.includes(READINESS)).toBe(name === 'timeout')
  })

  test('a fail-fast stop is explained by the diagnosis: no timeout hint, though helm was stopped', () => {
    const error = explainUpgradeFailure(
      failure(HELM_MESSAGES[4]?.[2] ?? '', {
        rollout: {
          reason: 'Deployment shop/demo: pod demo-1 is in CrashLoopBackOff',
          stoppedAfterSeconds: 12,
        },
      }),
    )
    expect(error.message).toContain('fail-fast stopped helm after 12 s')
    expect(error.hint).toContain('"Why the rollout failed"')
    expect(error.hint).not.toContain(READINESS)
  })

  test('a rollout that helm timed out on, diagnosed: the diagnosis and the timeout hint', () => {
    const error = explainUpgradeFailure(
      failure(HELM_MESSAGES[0]?.[2] ?? '', {
        rollout: { reason: 'Deployment shop/demo: 0 of 1 pods ready', stoppedAfterSeconds: undefined },
      }),
    )
    expect(error.hint).toContain('"Why the rollout failed"')
    expect(error.hint).toContain(READINESS)
  })
})

describe('applyConflicts', () => {
  test.each([
    [
      'one manager, two fields (after helm 4 repeats the error in its log line)',
      HELM_MESSAGES.find(([, family]) => family === 'apply-conflict')?.[2] ?? '',
      [
        { manager: 'ops-team', field: '.spec.replicas' },
        { manager: 'ops-team', field: '.spec.template.spec.containers[name="app"].image' },
      ],
    ],
    [
      'a failed rollback that repeats the error after the fields (helm 4, lab)',
      'Error: UPGRADE FAILED: an error occurred while rolling back the release. original upgrade error: conflict occurred while applying object ns/demo apps/v1, Kind=Deployment: Apply failed with 2 conflicts: conflicts with "ops-team":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image: conflict occurred while applying object ns/demo apps/v1, Kind=Deployment: Apply failed with 2 conflicts: conflicts with "ops-team":\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image\n',
      [
        { manager: 'ops-team', field: '.spec.replicas' },
        { manager: 'ops-team', field: '.spec.template.spec.containers[name="app"].image' },
      ],
    ],
    [
      'two managers',
      'Error: UPGRADE FAILED: Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\nconflicts with "hpa" using autoscaling/v2:\n- .spec.template.metadata.labels.tier\n',
      [
        { manager: 'kubectl-edit', field: '.spec.replicas' },
        { manager: 'hpa', field: '.spec.template.metadata.labels.tier' },
      ],
    ],
    [
      'one field, on the same line',
      'Error: UPGRADE FAILED: Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas\n',
      [{ manager: 'kubectl-scale', field: '.spec.replicas' }],
    ],
  ])('%s', (_case, stderr, conflicts) => {
    expect(applyConflicts(stderr)).toEqual(conflicts)
  })
})
