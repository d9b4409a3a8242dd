// @actions/core's and @actions/tool-cache's HttpClient (core.getIDToken; the tool cache's downloadTool and
// getManifestFromRepo): the real @actions/http-client is loaded on the first request, not with either package. Its
// static import of undici costs about 60 ms of CPU (Node 24) at every start of the action, and again in every deploy
// that looks helm up in the tool cache, which makes no request. Every request method of the real client returns a
// promise, so each one here loads it, makes the real client with the constructor's arguments and delegates; a
// bundler puts the real client and undici in a chunk of their own.
let realModule

const loadRealModule = () => (realModule ??= import('@actions/http-client'))

export class HttpClient {
  #args
  #client
  #disposed = false

  constructor(userAgent, handlers, requestOptions) {
    this.#args = [userAgent, handlers, requestOptions]
  }

  async #real() {
    if (this.#client === undefined) {
      const { HttpClient: RealHttpClient } = await loadRealModule()
      this.#client ??= new RealHttpClient(...this.#args)
      // disposed before it was made: the real client then refuses requests with its own error.
      if (this.#disposed) this.#client.dispose()
    }
    return this.#client
  }

  async #call(method, args) {
    const client = await this.#real()
    return client[method](...args)
  }

  options(...args) {
    return this.#call('options', args)
  }
  get(...args) {
    return this.#call('get', args)
  }
  del(...args) {
    return this.#call('del', args)
  }
  post(...args) {
    return this.#call('post', args)
  }
  patch(...args) {
    return this.#call('patch', args)
  }
  put(...args) {
    return this.#call('put', args)
  }
  head(...args) {
    return this.#call('head', args)
  }
  sendStream(...args) {
    return this.#call('sendStream', args)
  }
  getJson(...args) {
    return this.#call('getJson', args)
  }
  postJson(...args) {
    return this.#call('postJson', args)
  }
  putJson(...args) {
    return this.#call('putJson', args)
  }
  patchJson(...args) {
    return this.#call('patchJson', args)
  }
  request(...args) {
    return this.#call('request', args)
  }
  requestRaw(...args) {
    return this.#call('requestRaw', args)
  }

  requestRawWithCallback(info, data, onResult) {
    this.#real().then((client) => client.requestRawWithCallback(info, data, onResult), onResult)
  }

  dispose() {
    this.#disposed = true
    this.#client?.dispose()
  }

  getAgent(serverUrl) {
    return this.#loaded('getAgent').getAgent(serverUrl)
  }

  getAgentDispatcher(serverUrl) {
    return this.#loaded('getAgentDispatcher').getAgentDispatcher(serverUrl)
  }

  #loaded(method) {
    if (this.#client === undefined)
      throw new Error(
        `HttpClient.${method}() of the lazily loaded @actions/http-client (shims/lazy-http-client) was called before any request: ` +
          'it returns synchronously, and the real client is loaded by the first request. ' +
          'Make a request first, or use @actions/http-client directly.',
      )
    return this.#client
  }
}
