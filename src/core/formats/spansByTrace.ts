/**
 * Groups spans by trace ID, traces in order of first appearance. Spans of one trace usually arrive
 * together, so a run of them skips the map lookup.
 */
export class SpansByTrace<S extends { readonly traceId: string }> {
  private readonly byTrace = new Map<string, S[]>();
  private lastTraceId: string | undefined;
  private lastSpans: S[] = [];

  add(span: S): void {
    if (span.traceId !== this.lastTraceId) {
      let spans = this.byTrace.get(span.traceId);
      if (spans === undefined) {
        spans = [];
        this.byTrace.set(span.traceId, spans);
      }
      this.lastTraceId = span.traceId;
      this.lastSpans = spans;
    }
    this.lastSpans.push(span);
  }

  /** Each trace's ID and spans. */
  entries(): IterableIterator<[string, S[]]> {
    return this.byTrace.entries();
  }
}
