// The one entry point from text to traces: strip a BOM, parse JSON (or JSON Lines), recognize the format,
// hand the document to that format's parser.

import type { ParsedTraces, Trace } from '../model/trace';
import { describeJsonType, detectTraceFormat } from './detectFormat';
import type { DetectedTraceDocument } from './detectFormat';
import { parseJaegerV1Document } from './jaegerV1';
import { describeJsonSyntaxError } from './jsonSyntaxError';
import { OtlpTraceCollector } from './otlpJson';
import { addParseWarning } from './parseWarnings';
import { TraceParseError } from './traceParseError';
import { parseZipkinV2Document } from './zipkinV2';

/** V8 cannot hold a string much past 512 MiB; readers refuse larger trace input up front. */
export const MAX_TRACE_TEXT_BYTES = 512 * 1024 * 1024;

export const NO_SPANS_WARNING = 'the document contains no spans';

/** Parses trace text in any supported format; throws TraceParseError saying what is wrong and where. */
export function parseTraceText(text: string): ParsedTraces {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (isBlank(body)) throw new TraceParseError(body.length === 0 ? 'the file is empty' : 'the file holds only whitespace');
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const lines = parseJsonLines(body);
    if (lines !== undefined) return lines;
    throw new TraceParseError(`not JSON: ${describeJsonSyntaxError(body, error)}`);
  }
  return parseTraceDocument(doc);
}

/**
 * Parses an already decoded JSON document (for example a backend's HTTP response body). The document is
 * consumed: each raw span is released once read, so a large document's objects can be collected while
 * the model is built instead of being copied by every young-generation GC.
 */
export function parseTraceDocument(doc: unknown): ParsedTraces {
  const detected = detectTraceFormat(doc);
  const warnings: string[] = [];
  for (const notice of detected.notices) addParseWarning(warnings, notice);
  const traces = parseDetected(detected, warnings);
  if (traces.length === 0) addParseWarning(warnings, NO_SPANS_WARNING);
  return { format: detected.format, traces, warnings };
}

function parseDetected(detected: DetectedTraceDocument, warnings: string[]): Trace[] {
  const { format, payload, payloadPath } = detected;
  if (payload === undefined) return [];
  switch (format) {
    case 'jaeger-v1':
      return parseJaegerV1Document(payload, warnings);
    case 'zipkin-v2':
      return parseZipkinV2Document(payload, warnings);
    case 'tempo-v1': {
      const collector = new OtlpTraceCollector(warnings);
      collector.addResourceSpansList(payload, payloadPath);
      return collector.finish();
    }
    case 'jaeger-v3':
    case 'otlp-json':
    case 'tempo-v2': {
      const collector = new OtlpTraceCollector(warnings);
      collector.addTracesData(payload, payloadPath);
      return collector.finish();
    }
  }
}

/**
 * JSON Lines: one OTLP ExportTraceServiceRequest per line, as the Jaeger UI accepts for upload. Returns
 * undefined when the text does not look like JSON Lines (the first line alone is not an OTLP object),
 * so the caller reports the whole-document syntax error instead.
 */
function parseJsonLines(text: string): ParsedTraces | undefined {
  let warnings: string[] | undefined;
  let collector: OtlpTraceCollector | undefined;
  let lineNumber = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    start = end + 1;
    lineNumber++;
    if (isBlank(line)) continue;
    const label = `line ${lineNumber}`;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (error) {
      if (collector === undefined) return undefined;
      const detail = describeJsonSyntaxError(line, error).replace(/ at line 1 column (\d+)$/, ' at column $1');
      throw new TraceParseError(`${label} of the JSON Lines file is not JSON: ${detail}`);
    }
    if (!isOtlpRequest(doc)) {
      if (collector === undefined) return undefined;
      throw new TraceParseError(
        `${label} of the JSON Lines file is ${describeJsonType(doc)} without "resourceSpans"; every line must be an OTLP JSON object`,
      );
    }
    warnings ??= [];
    collector ??= new OtlpTraceCollector(warnings);
    const list = doc.resourceSpans;
    if (list !== undefined && list !== null) collector.addResourceSpansList(list, `${label}: resourceSpans`);
  }
  if (collector === undefined || warnings === undefined) return undefined;
  const traces = collector.finish();
  if (traces.length === 0) addParseWarning(warnings, NO_SPANS_WARNING);
  return { format: 'otlp-jsonl', traces, warnings };
}

function isOtlpRequest(doc: unknown): doc is Record<string, unknown> {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'resourceSpans' in doc;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return false;
  }
  return true;
}
