import type { RestTransport } from './transport.js'
import { KubeApiError } from '../kube-api.js'

export interface Resource {
  readonly name: string
  readonly isNamespaced: boolean
}

interface ResourceList {
  readonly resources?: readonly {
    readonly name: string
    readonly kind: string
    readonly namespaced: boolean
  }[]
}

/** `/api/v1` or `/apis/<group>/<version>`. */
function groupPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`
}

/**
 * Which resource serves a kind, from the API server's discovery of its group version, asked once per
 * group version and kept (kubectl and client-node do the same). A group version the server does not
 * serve (404: no CRD) serves no kind.
 */
export class RestDiscovery {
  private readonly lists = new Map<string, Promise<ResourceList | undefined>>()

  constructor(private readonly rest: RestTransport) {}

  async lookup(apiVersion: string, kind: string): Promise<Resource | undefined> {
    let list = this.lists.get(apiVersion)
    if (list === undefined) {
      list = this.rest
        .json<ResourceList>(`discover ${kind} in ${apiVersion}`, {
          method: 'GET',
          path: groupPath(apiVersion),
        })
        .catch((error: unknown) => {
          if (error instanceof KubeApiError && error.status === 404) return undefined
          this.lists.delete(apiVersion) // asked again next time
          throw error
        })
      this.lists.set(apiVersion, list)
    }
    const found = (await list)?.resources?.find((r) => r.kind === kind && !r.name.includes('/'))
    return found === undefined ? undefined : { name: found.name, isNamespaced: found.namespaced }
  }

  /** The path of the kind's objects (in `namespace` when the kind is namespaced), or of one of them. */
  async path(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
  ): Promise<string> {
    const found = await this.lookup(apiVersion, kind)
    if (found === undefined)
      throw new KubeApiError(404, 'NotFound', `The API server serves no ${kind} in ${apiVersion}.`)
    const scope =
      found.isNamespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : ''
    const one = name === undefined ? '' : `/${encodeURIComponent(name)}`
    return `${groupPath(apiVersion)}${scope}/${found.name}${one}`
  }
}
