// Lookups over the stored spans: services and their span names, traces per service, and attribute keys and
// values for completion. Entries are counted, so evicting a trace takes out exactly what adding it put in.
// Spans per code location are found by scanning the rows when asked (codeSpans.ts): keeping a set of traces
// per function and file cost the editor's thread a tenth of its ingest time, for a lookup made on a click.

import type { SpanKind } from '../model/trace';
import { SPAN_KIND_CODES } from './recordLayout';
import type { SpanRecord } from './spanRecord';
import type { TraceEntry, TraceSlice } from './traceEntry';

/** Attribute keys the completion index holds; keys past it are not offered. */
export const MAX_TAG_KEYS = 5000;

/** Values per attribute key; a key past it is marked incomplete. */
export const MAX_TAG_VALUES = 1000;

interface OperationEntry {
  readonly name: string;
  readonly kind: SpanKind;
  spans: number;
}

interface ServiceEntry {
  spans: number;
  readonly traces: Set<TraceEntry>;
  /** By span name, then kind code: no key string is built per lookup. */
  readonly operations: Map<string, (OperationEntry | undefined)[]>;
  /** The trace last added to `traces`: a trace's rows add it once, not once per row. */
  lastTrace: TraceEntry | undefined;
}

interface TagEntry {
  readonly scope: 'span' | 'resource';
  readonly key: string;
  readonly values: Map<string, number>;
  /** Records listing the key. */
  records: number;
  /** Some values were left out (MAX_TAG_VALUES). */
  incomplete: boolean;
}

export class SpanIndex {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly tags: Readonly<Record<'span' | 'resource', Map<string, TagEntry>>> = { span: new Map(), resource: new Map() };
  private tagKeyCount = 0;

  /**
   * Indexes the slices one record added, `traces[i]` holding `slices[i]`: in the order of the slices and
   * their rows, with what a row's strings resolve to looked up once per record instead of once per row.
   */
  addRecordSlices(record: SpanRecord, traces: readonly TraceEntry[], slices: readonly TraceSlice[]): void {
    const stringCount = record.stringCount;
    // Keyed as summarizeRows keys operations, and read back the same way.
    const operations = new Map<number, ResolvedOperation>();
    for (let i = 0; i < slices.length; i++) {
      const trace = traces[i];
      const slice = slices[i];
      const end = slice.firstRow + slice.rowCount;
      for (let row = slice.firstRow; row < end; row++) {
        const key = (record.serviceIndex(row) * 8 + record.kindCode(row)) * stringCount + record.nameIndex(row);
        let resolved = operations.get(key);
        if (resolved === undefined) {
          resolved = this.resolveOperation(record, key);
          operations.set(key, resolved);
        }
        const service = resolved.service;
        service.spans++;
        resolved.operation.spans++;
        if (service.lastTrace !== trace) {
          service.lastTrace = trace;
          service.traces.add(trace);
        }
      }
    }
  }

  /** The service and operation entries of an operation key of `record`, made (with no spans yet) if new. */
  private resolveOperation(record: SpanRecord, key: number): ResolvedOperation {
    const stringCount = record.stringCount;
    const nameIndex = key % stringCount;
    const rest = (key - nameIndex) / stringCount;
    const kindCode = rest % 8;
    const serviceName = record.string((rest - kindCode) / 8);
    const name = record.string(nameIndex);
    // Codes past the known kinds read as 'unspecified', as the record's kind() reads them.
    const kindIndex = kindCode < SPAN_KIND_CODES.length ? kindCode : 0;
    const kind = SPAN_KIND_CODES[kindIndex];
    let service = this.services.get(serviceName);
    if (service === undefined) {
      service = { spans: 0, traces: new Set(), operations: new Map(), lastTrace: undefined };
      this.services.set(serviceName, service);
    }
    let kinds = service.operations.get(name);
    if (kinds === undefined) {
      kinds = [];
      service.operations.set(name, kinds);
    }
    let operation = kinds[kindIndex];
    if (operation === undefined) {
      operation = { name, kind, spans: 0 };
      kinds[kindIndex] = operation;
    }
    return { service, operation };
  }

  /** Takes out a whole trace's slices; call once per evicted trace. */
  removeTrace(trace: TraceEntry): void {
    for (const slice of trace.slices) {
      const summary = slice.stored.record.summarizeRows(slice.firstRow, slice.rowCount);
      for (const { service: serviceName, name, kind, spans } of summary.operations) {
        const service = this.services.get(serviceName);
        if (service === undefined) continue;
        service.traces.delete(trace);
        if (service.lastTrace === trace) service.lastTrace = undefined;
        const kinds = service.operations.get(name);
        const kindIndex = kindCodeOf(kind);
        const operation = kinds?.[kindIndex];
        if (kinds !== undefined && operation !== undefined && (operation.spans -= spans) <= 0) {
          kinds[kindIndex] = undefined;
          if (kinds.every((other) => other === undefined)) service.operations.delete(name);
        }
        if ((service.spans -= spans) <= 0) this.services.delete(serviceName);
      }
    }
  }

  addRecordTags(record: SpanRecord): void {
    for (let i = 0; i < record.tagsLength; i++) {
      const scope = record.tagScope(i);
      const key = record.tagKey(i);
      const byKey = this.tags[scope];
      let entry = byKey.get(key);
      if (entry === undefined) {
        if (this.tagKeyCount >= MAX_TAG_KEYS) continue;
        entry = { scope, key, values: new Map(), records: 0, incomplete: false };
        byKey.set(key, entry);
        this.tagKeyCount++;
      }
      entry.records++;
      const value = record.tagValue(i);
      const count = entry.values.get(value);
      if (count !== undefined) entry.values.set(value, count + 1);
      else if (entry.values.size < MAX_TAG_VALUES) entry.values.set(value, 1);
      else entry.incomplete = true;
    }
  }

  removeRecordTags(record: SpanRecord): void {
    for (let i = 0; i < record.tagsLength; i++) {
      const byKey = this.tags[record.tagScope(i)];
      const key = record.tagKey(i);
      const entry = byKey.get(key);
      if (entry === undefined) continue;
      const value = record.tagValue(i);
      const count = entry.values.get(value);
      if (count !== undefined) {
        if (count <= 1) entry.values.delete(value);
        else entry.values.set(value, count - 1);
      }
      if (--entry.records <= 0) {
        byKey.delete(key);
        this.tagKeyCount--;
      }
    }
  }

  clear(): void {
    this.services.clear();
    this.tags.span.clear();
    this.tags.resource.clear();
    this.tagKeyCount = 0;
  }

  serviceNames(): string[] {
    return [...this.services.keys()];
  }

  operations(serviceName: string): { name: string; kind: SpanKind }[] {
    const service = this.services.get(serviceName);
    const operations: { name: string; kind: SpanKind }[] = [];
    if (service === undefined) return operations;
    for (const kinds of service.operations.values()) {
      for (const operation of kinds) if (operation !== undefined) operations.push({ name: operation.name, kind: operation.kind });
    }
    return operations;
  }

  tracesOfService(serviceName: string): ReadonlySet<TraceEntry> {
    return this.services.get(serviceName)?.traces ?? EMPTY_SET;
  }

  tagKeys(): { scope: 'span' | 'resource'; key: string }[] {
    return [...this.tags.span.values(), ...this.tags.resource.values()].map(({ scope, key }) => ({ scope, key }));
  }

  /** Values of `key` in any scope, most frequent first, and whether some were left out. */
  tagValues(key: string): { values: string[]; incomplete: boolean } {
    const counts = new Map<string, number>();
    let incomplete = false;
    for (const scope of ['span', 'resource'] as const) {
      const entry = this.tags[scope].get(key);
      if (entry === undefined) continue;
      incomplete ||= entry.incomplete;
      for (const [value, count] of entry.values) counts.set(value, (counts.get(value) ?? 0) + count);
    }
    const values = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value]) => value);
    return { values, incomplete };
  }
}

const EMPTY_SET: ReadonlySet<TraceEntry> = new Set();

/** What one record's rows of an operation count into. */
interface ResolvedOperation {
  readonly service: ServiceEntry;
  readonly operation: OperationEntry;
}

/** The index of a kind among SPAN_KIND_CODES. */
function kindCodeOf(kind: SpanKind): number {
  return SPAN_KIND_CODES.indexOf(kind);
}
