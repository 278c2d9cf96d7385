// Takes out the spans of an OTLP/JSON request that cannot be stored (no usable trace or span ID, a start time
// that is not a number), so one bad span costs a partial success instead of the whole request, as the OTLP
// spec asks. The shape itself is left to parseOtlpTracesData, which rejects a request that is not OTLP.

import { isZeroId } from '../model/ids';
import { readUint64 } from '../formats/otlpJson';
import { readOtlpId } from '../formats/otlpIds';

export interface ScreenOptions {
  /** Protobuf IDs are exactly 16 and 8 bytes; JSON also accepts shortened hex (Tempo) and base64. */
  readonly exactIdLength: boolean;
  /** Keep only this trace's spans (32 hex digits); the others are skipped, not rejected. */
  readonly onlyTraceId?: string;
}

export interface ScreenedRequest {
  /** The request with the rejected (and unwanted) spans left out; the input itself when nothing was. */
  readonly doc: unknown;
  readonly rejectedSpans: number;
  /** Why the first rejected span was rejected, with where it sits. */
  readonly firstRejection: string | undefined;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function screenOtlpSpans(doc: unknown, options: ScreenOptions): ScreenedRequest {
  const screen = new SpanScreen(options);
  const result = screen.request(doc);
  return { doc: result, rejectedSpans: screen.rejected, firstRejection: screen.firstRejection };
}

class SpanScreen {
  rejected = 0;
  firstRejection: string | undefined;

  constructor(private readonly options: ScreenOptions) {}

  request(doc: unknown): unknown {
    if (!isObject(doc) || !Array.isArray(doc.resourceSpans)) return doc;
    const list = this.mapList(doc.resourceSpans, (entry, i) => this.resourceSpans(entry, `resourceSpans[${i}]`));
    return list === doc.resourceSpans ? doc : { ...doc, resourceSpans: list };
  }

  private resourceSpans(entry: unknown, path: string): unknown {
    if (!isObject(entry)) return entry;
    const key = entry.scopeSpans === undefined && entry.instrumentationLibrarySpans !== undefined ? 'instrumentationLibrarySpans' : 'scopeSpans';
    const scopes = entry[key];
    if (!Array.isArray(scopes)) return entry;
    const list = this.mapList(scopes, (scope, i) => this.scopeSpans(scope, `${path}.${key}[${i}]`));
    return list === scopes ? entry : { ...entry, [key]: list };
  }

  private scopeSpans(entry: unknown, path: string): unknown {
    if (!isObject(entry) || !Array.isArray(entry.spans)) return entry;
    const spans: unknown[] = entry.spans;
    let kept: unknown[] | undefined;
    for (let i = 0; i < spans.length; i++) {
      const keep = this.keepSpan(spans[i], path, i);
      if (!keep && kept === undefined) kept = spans.slice(0, i);
      else if (keep && kept !== undefined) kept.push(spans[i]);
    }
    return kept === undefined ? entry : { ...entry, spans: kept };
  }

  private keepSpan(span: unknown, path: string, index: number): boolean {
    if (!isObject(span)) return this.reject(`${path}.spans[${index}] is not an object`);
    const traceId = this.id(span.traceId, 16);
    if (traceId === undefined) return this.reject(`${path}.spans[${index}] has no valid "traceId"`);
    if (this.options.onlyTraceId !== undefined && traceId !== this.options.onlyTraceId) return false;
    if (this.id(span.spanId, 8) === undefined) return this.reject(`${path}.spans[${index}] has no valid "spanId"`);
    const start = span.startTimeUnixNano;
    if (start !== undefined && start !== null && readUint64(start) === undefined) {
      return this.reject(`${path}.spans[${index}] has an invalid "startTimeUnixNano"`);
    }
    return true;
  }

  private id(raw: unknown, byteLength: 8 | 16): string | undefined {
    if (typeof raw !== 'string' || raw === '') return undefined;
    if (this.options.exactIdLength && raw.length !== byteLength * 2) return undefined;
    const id = readOtlpId(raw, byteLength);
    return id === undefined || isZeroId(id) ? undefined : id;
  }

  private reject(reason: string): false {
    if (this.rejected++ === 0) this.firstRejection = reason;
    return false;
  }

  /** Maps a list, returning the same array when no entry changed. */
  private mapList(list: unknown[], map: (entry: unknown, index: number) => unknown): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const mapped = map(list[i], i);
      if (mapped !== list[i] && out === undefined) out = list.slice(0, i);
      if (out !== undefined) out.push(mapped);
    }
    return out ?? list;
  }
}
