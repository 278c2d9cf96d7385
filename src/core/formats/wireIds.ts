// Reads trace and span IDs the way Jaeger v1 and Zipkin send them: hex of any case, 64-bit trace IDs
// without their zero high half. Test data in the wild also has IDs like "span-1"; those are kept as
// written (lowercased) so the trace still opens, and reported once.

import { normalizeHexId } from '../model/ids';

export class WireIdReader {
  private nonHexCount = 0;
  private nonHexExample = '';
  private lastTraceText = '';
  private lastTraceId = '';

  /** Trace ID as 32 lowercase hex digits, or the lowercased text when it is not hex. */
  traceId(text: string): string {
    // Spans of one trace come together, so the previous answer is usually the right one.
    if (text !== this.lastTraceText) {
      this.lastTraceId = this.read(text, 32);
      this.lastTraceText = text;
    }
    return this.lastTraceId;
  }

  /** Span ID as 16 lowercase hex digits, or the lowercased text when it is not hex. */
  spanId(text: string): string {
    return this.read(text, 16);
  }

  /** One warning covering every non-hex ID read, if there was any. */
  warning(formatName: string): string | undefined {
    if (this.nonHexCount === 0) return undefined;
    return `${this.nonHexCount} ${formatName} ${this.nonHexCount === 1 ? 'ID is' : 'IDs are'} not hexadecimal (e.g. "${this.nonHexExample}"); kept as written`;
  }

  private read(text: string, digits: 16 | 32): string {
    if (text.length === digits && isLowerHex(text)) return text;
    const normalized = normalizeHexId(text, digits);
    if (normalized !== undefined) return normalized;
    if (this.nonHexCount++ === 0) this.nonHexExample = text;
    return text.toLowerCase();
  }
}

/** The common case, checked without a regex or a new string: already canonical. */
function isLowerHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}
