// The shim's HttpClient has the real one's methods; its types are the real one's.
export { HttpClient } from '@actions/http-client'
