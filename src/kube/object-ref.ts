/** One object, by what names it: a namespace for a namespaced kind, none for a cluster-scoped one. */
export interface ObjectRef {
  readonly apiVersion: string
  readonly kind: string
  readonly name: string
  readonly namespace: string | undefined
}
