// The credential handlers are plain classes that import nothing: the real ones, loaded with @actions/core.
export * from '@actions/http-client/lib/auth'
