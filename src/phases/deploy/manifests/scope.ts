import type { ManifestObject } from './types.js'

/**
 * Kinds that live outside any namespace, by API group (`''`: the core group). The API's discovery, when
 * the deploy can reach it, adds the cluster's own (CRDs' kinds); this list decides in the plan, offline.
 */
const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  policy: ['PodSecurityPolicy'],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function apiGroup(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : ''
}

/** Whether the kind is cluster-scoped by the known list (`namespaced` from discovery wins when given). */
export function isClusterScoped(
  object: Pick<ManifestObject, 'apiVersion' | 'kind'>,
  namespaced?: boolean,
): boolean {
  if (namespaced !== undefined) return !namespaced
  return CLUSTER_SCOPED[apiGroup(object.apiVersion)]?.includes(object.kind) === true
}

/** A Namespace object: the release's namespace belongs to input create-namespace, never to the chart. */
export function isNamespace(object: Pick<ManifestObject, 'apiVersion' | 'kind'>): boolean {
  return object.kind === 'Namespace' && apiGroup(object.apiVersion) === ''
}
