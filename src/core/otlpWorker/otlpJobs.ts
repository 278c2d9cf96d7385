// The heavy work of the receiver and the store, as plain functions: the ingest worker runs them, and so
// does the in-process processor (CLI reads, tests). Inputs and results are plain data that crosses threads.

import type { PayloadFormat } from '../otlp/decodeOtlpPayload';
import { decodeOtlpPayload, readProtobufRequest } from '../otlp/decodeOtlpPayload';
import { OtlpPayloadError } from '../otlp/otlpPayloadError';
import type { Span, Trace } from '../model/trace';
import { decompressPayload } from '../otlp/payloadCompression';
import { encodeProtobufRecord } from '../store/protobufSpanRecord';
import type { FramedRecord } from '../store/recordFrame';
import { encodeSpanRecord } from '../store/spanRecordWriter';

/** Repairs reported per request; more only repeat the same story. */
const MAX_JOB_WARNINGS = 5;

export interface IngestJob {
  /** The body as it arrived (still compressed, if it was). */
  readonly body: Uint8Array;
  readonly format: PayloadFormat;
  readonly maxDecompressedBytes: number;
}

export type IngestResult =
  | {
      readonly ok: true;
      /** The framed store record, or undefined when the request held no storable span. */
      readonly record: FramedRecord | undefined;
      readonly acceptedSpans: number;
      readonly rejectedSpans: number;
      /** Why spans were rejected, for the partial-success message. */
      readonly rejection: string | undefined;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly kind: 'malformed' | 'tooLarge'; readonly message: string };

export interface StoredBody {
  readonly body: Uint8Array;
  readonly format: PayloadFormat;
}

export interface DecodeJob {
  readonly traceId: string;
  /** The bodies of every record holding spans of the trace, oldest first. */
  readonly bodies: readonly StoredBody[];
  readonly maxDecompressedBytes: number;
}

export interface DecodeResult {
  /** Undefined when none of the bodies held a span of the trace. */
  readonly trace: Trace | undefined;
  readonly warnings: readonly string[];
}

/**
 * Checks and indexes one request. Protobuf is indexed from the decoded messages; JSON goes through the
 * model parser, which also reports the repairs it made.
 */
export function runIngestJob(job: IngestJob): IngestResult {
  try {
    if (job.format.encoding === 'protobuf') {
      const request = readProtobufRequest(decompressPayload(job.body, job.format.compression, job.maxDecompressedBytes));
      const indexed = encodeProtobufRecord(request, job.body, job.format);
      return ingested(indexed.record, indexed.acceptedSpans, indexed.rejectedSpans, indexed.firstRejection, []);
    }
    const decoded = decodeOtlpPayload(job.body, job.format, { maxDecompressedBytes: job.maxDecompressedBytes });
    let acceptedSpans = 0;
    for (const trace of decoded.traces) acceptedSpans += trace.spans.length;
    const record = acceptedSpans === 0 ? undefined : encodeSpanRecord(decoded.traces, job.body, job.format);
    return ingested(record, acceptedSpans, decoded.rejectedSpans, decoded.firstRejection, decoded.warnings.slice(0, MAX_JOB_WARNINGS));
  } catch (error) {
    if (error instanceof OtlpPayloadError) return { ok: false, kind: error.kind, message: error.message };
    throw error;
  }
}

function ingested(record: FramedRecord | undefined, acceptedSpans: number, rejectedSpans: number, firstRejection: string | undefined, warnings: readonly string[]): IngestResult {
  const rejection = rejectedSpans === 0 ? undefined : `${rejectedSpans} span${rejectedSpans === 1 ? ' was' : 's were'} rejected (first: ${firstRejection ?? 'unknown'})`;
  return { ok: true, record, acceptedSpans, rejectedSpans, rejection, warnings };
}

/** Reads one trace back from the records that hold it; spans sent twice (same span ID) are kept once. */
export function runDecodeJob(job: DecodeJob): DecodeResult {
  const spans: Span[] = [];
  const seen = new Set<string>();
  const warnings: string[] = [];
  for (const stored of job.bodies) {
    const decoded = decodeOtlpPayload(stored.body, stored.format, { maxDecompressedBytes: job.maxDecompressedBytes, onlyTraceId: job.traceId });
    for (const warning of decoded.warnings) if (warnings.length < MAX_JOB_WARNINGS && !warnings.includes(warning)) warnings.push(warning);
    for (const trace of decoded.traces) {
      for (const span of trace.spans) {
        if (seen.has(span.spanId)) continue;
        seen.add(span.spanId);
        spans.push(span);
      }
    }
  }
  return { trace: spans.length === 0 ? undefined : { traceId: job.traceId, spans }, warnings };
}
