import { readFileSync } from 'node:fs'
import type { LiveFields, ManagedFieldsEntry } from '../../../../../src/kube/field-api.js'

/**
 * Deployment fox as the lab (Kubernetes 1.20) answered after a Helm 4.1.4 install with 2 replicas, then
 * `kubectl scale --replicas=3`, `kubectl set image`, `kubectl set env LOG_LEVEL=debug` and a patch of
 * replicas to 4 as kube-controller-manager (what an HPA writes).
 */
export function recordedLive(): LiveFields {
  const url = new URL('../../../../fixtures/kube/lab-fields-deployment.json', import.meta.url)
  const object = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown> & {
    metadata: { managedFields: ManagedFieldsEntry[] }
  }
  const { managedFields, ...metadata } = object.metadata
  return { object: { ...object, metadata }, managedFields }
}

/** The revision helm applied (`helm get manifest`). */
export const APPLIED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "fox"
  labels: {app: "fox"}
spec:
  replicas: 2
  paused: false
  selector:
    matchLabels: {app: "fox"}
  template:
    metadata:
      labels: {app: "fox"}
    spec:
      containers:
      - name: app
        image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:latest"
        ports: [{containerPort: 8080, protocol: TCP}]
`

/** The API server's 409 to a dry-run apply as `helm` (force=false) of a chart with other replicas and image. */
export const RECORDED_409 = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message:
    'Apply failed with 2 conflicts: conflicts with "kube-controller-manager" using apps/v1:\n- .spec.replicas\nconflicts with "kubectl-set" using apps/v1:\n- .spec.template.spec.containers[name="app"].image',
  reason: 'Conflict',
  details: {
    causes: [
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kube-controller-manager" using apps/v1',
        field: '.spec.replicas',
      },
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-set" using apps/v1',
        field: '.spec.template.spec.containers[name="app"].image',
      },
    ],
  },
  code: 409,
})
