// The byte layout of the store's log. Every record is framed as
//   u32 payload length | u32 CRC-32 of the payload | payload
// (little-endian), so replay can tell a whole record from a torn or corrupt one. Payloads:
//
// Spans record: one received OTLP request, kept as it arrived, behind an index of its spans that replay and
// search read without decoding the body.
//   u8 kind = 1 | u8 version (1 or 2) | u8 encoding | u8 compression
//   u32 strings | u32 traces | u32 spans | u32 tags | u32 body length
//   strings: u32 UTF-8 length, bytes (names, services, code locations, tag keys and values)
//   traces:  16-byte trace ID | u32 span rows | u64 start ns | u64 end ns | u32 error spans
//   spans:   one fixed-size row each (SPAN_ROW below; version 1 rows end before the code column), grouped
//            by trace in the order of `traces`
//   tags:    u8 scope | u32 key string | u32 value string (distinct scalar attribute values of the resources
//            and of a sample of the spans, for completion)
//   body:    the OTLP ExportTraceServiceRequest bytes
//
// Tombstone record: a trace evicted while some of its records sit in segments that stay on disk.
//   u8 kind = 2 | u8 version (1 or 2) | 16-byte trace ID
//
// Version 2 added the code column, stack trace and file origin and the GenAI model and token counts to the
// span rows; readers take both versions, and read the added fields of version 1 rows as absent.

export const FRAME_HEADER_BYTES = 8;

/** Larger lengths in a frame header mean a corrupt header rather than a real record. */
export const MAX_RECORD_BYTES = 1024 * 1024 * 1024;

export const RECORD_VERSION = 2;

/** The oldest record version this one reads. */
export const OLDEST_RECORD_VERSION = 1;

export const RecordKind = { Spans: 1, Tombstone: 2 } as const;

export const SPANS_HEADER_BYTES = 24;

export const TRACE_ENTRY_BYTES = 40;

/** Offsets within one span row. */
export const SPAN_ROW = {
  spanId: 0,
  parentSpanId: 8,
  startLow: 16,
  startHigh: 20,
  durationLow: 24,
  durationHigh: 28,
  service: 32,
  name: 36,
  codeFunction: 40,
  codeFile: 44,
  codeLine: 48,
  kind: 52,
  status: 53,
  /** FILE_ORIGIN_CODES */
  codeFileOrigin: 54,
  codeColumn: 56,
  codeStackTrace: 60,
  genAiModel: 64,
  /** NO_COUNT when absent. */
  genAiInputTokens: 68,
  genAiOutputTokens: 72,
  bytes: 76,
} as const;

/** Row size of version 1 records, which end at the code column. */
export const SPAN_ROW_V1_BYTES = 56;

export const TAG_ENTRY_BYTES = 9;

export const TOMBSTONE_BYTES = 18;

/** A string index meaning "none". */
export const NO_STRING = 0xffffffff;

/** A token count meaning "none" (counts are below 10^9). */
export const NO_COUNT = 0xffffffff;

/** Which attribute family gave a row's code file and line; index 0 is none. */
export const FILE_ORIGIN_CODES = [undefined, 'code', 'datadog'] as const;

export const TagScope = { Span: 0, Resource: 1 } as const;

export const ENCODING_CODES = { protobuf: 0, json: 1 } as const;

export const COMPRESSION_CODES = { none: 0, gzip: 1, deflate: 2 } as const;

export const SPAN_KIND_CODES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export const STATUS_CODES = ['unset', 'ok', 'error'] as const;
