/** Where the demo's time goes, so that its figures can be checked against the ones the docs give. */
export class Stopwatch {
  private readonly spans: { readonly label: string; readonly ms: number }[] = []

  async time<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now()
    try {
      return await work()
    } finally {
      this.spans.push({ label, ms: Date.now() - started })
    }
  }

  /** "2.1 s starting moto_server, 1.0 s the main step, ..." in the order they ended. */
  summary(): string {
    return this.spans.map(({ label, ms }) => `${(ms / 1000).toFixed(1)} s ${label}`).join(', ')
  }
}
