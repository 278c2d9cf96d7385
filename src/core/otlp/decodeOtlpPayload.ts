// An OTLP trace export body (protobuf or JSON, maybe compressed) to model traces. The receiver runs this on
// every request and the store on every record it reads back, so both see exactly the same spans.

import { describeJsonSyntaxError } from '../formats/jsonSyntaxError';
import { parseOtlpTracesData } from '../formats/otlpJson';
import { TraceParseError } from '../formats/traceParseError';
import type { Trace } from '../model/trace';
import { otlpRequestToJson } from './otlpMessageJson';
import { OtlpPayloadError } from './otlpPayloadError';
import type { DecodedExportTraceRequest } from './otlpProtobuf';
import { decodeExportTraceRequest } from './otlpProtobuf';
import type { PayloadCompression } from './payloadCompression';
import { decompressPayload } from './payloadCompression';
import { screenOtlpSpans } from './screenOtlpSpans';

export type PayloadEncoding = 'protobuf' | 'json';

export interface PayloadFormat {
  readonly encoding: PayloadEncoding;
  readonly compression: PayloadCompression;
}

export interface DecodeOptions {
  /** Largest body after decompression. */
  readonly maxDecompressedBytes: number;
  /** Read only this trace (32 hex digits). */
  readonly onlyTraceId?: string;
}

export interface DecodedPayload {
  readonly traces: Trace[];
  /** Spans left out because they cannot be stored (see screenOtlpSpans). */
  readonly rejectedSpans: number;
  readonly firstRejection: string | undefined;
  /** Repairs the parser made, in words a user understands. */
  readonly warnings: string[];
}

/** Throws OtlpPayloadError for a body that is not an OTLP trace export. */
export function decodeOtlpPayload(body: Uint8Array, format: PayloadFormat, options: DecodeOptions): DecodedPayload {
  const bytes = decompressPayload(body, format.compression, options.maxDecompressedBytes);
  const doc = format.encoding === 'protobuf' ? readProtobuf(bytes, options.onlyTraceId) : readJson(bytes);
  const screened = screenOtlpSpans(doc, { exactIdLength: format.encoding === 'protobuf', onlyTraceId: options.onlyTraceId });
  const warnings: string[] = [];
  let traces: Trace[];
  try {
    traces = parseOtlpTracesData(screened.doc, '', warnings);
  } catch (error) {
    if (error instanceof TraceParseError) throw new OtlpPayloadError('malformed', `The body is not an OTLP trace export: ${error.message}`);
    throw error;
  }
  return { traces, rejectedSpans: screened.rejectedSpans, firstRejection: screened.firstRejection, warnings };
}

function readProtobuf(bytes: Uint8Array, onlyTraceId: string | undefined): unknown {
  return otlpRequestToJson(readProtobufRequest(bytes), onlyTraceId);
}

/** The decoded ExportTraceServiceRequest; throws OtlpPayloadError `malformed` for bytes that are not one. */
export function readProtobufRequest(bytes: Uint8Array): DecodedExportTraceRequest {
  try {
    return decodeExportTraceRequest(bytes);
  } catch (error) {
    // protobufjs recurses per nested message; absurd nesting ends in a RangeError, which is bad input too.
    const message = error instanceof Error ? error.message : String(error);
    const reason = error instanceof RangeError && /call stack/i.test(message) ? 'it nests messages too deeply' : message;
    throw new OtlpPayloadError('malformed', `The body is not a protobuf ExportTraceServiceRequest: ${reason}`);
  }
}

function readJson(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OtlpPayloadError('malformed', `The body is not valid JSON: ${describeJsonSyntaxError(text, error)}`);
  }
}
