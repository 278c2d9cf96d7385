// Lookups over the stored spans: services and their span names, traces per service, traces per code
// location (function, file), and attribute keys and values for completion. Entries are counted, so evicting
// a trace takes out exactly what adding it put in.

import type { SpanKind } from '../model/trace';
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
  readonly operations: Map<string, OperationEntry>;
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
  private readonly functions = new Map<string, Set<TraceEntry>>();
  private readonly files = new Map<string, Set<TraceEntry>>();
  private readonly tags: Readonly<Record<'span' | 'resource', Map<string, TagEntry>>> = { span: new Map(), resource: new Map() };
  private tagKeyCount = 0;

  addSlice(trace: TraceEntry, slice: TraceSlice): void {
    const summary = slice.stored.record.summarizeRows(slice.firstRow, slice.rowCount);
    for (const { service: serviceName, name, kind, spans } of summary.operations) {
      let service = this.services.get(serviceName);
      if (service === undefined) {
        service = { spans: 0, traces: new Set(), operations: new Map() };
        this.services.set(serviceName, service);
      }
      service.spans += spans;
      service.traces.add(trace);
      const operationKey = `${kind}\u0000${name}`;
      const operation = service.operations.get(operationKey);
      if (operation === undefined) service.operations.set(operationKey, { name, kind, spans });
      else operation.spans += spans;
    }
    for (const functionName of summary.functions) addToSet(this.functions, functionName, trace);
    for (const filePath of summary.files) addToSet(this.files, filePath, trace);
  }

  /** Takes out a whole trace's slices; call once per evicted trace. */
  removeTrace(trace: TraceEntry): void {
    for (const slice of trace.slices) {
      const summary = slice.stored.record.summarizeRows(slice.firstRow, slice.rowCount);
      for (const { service: serviceName, name, kind, spans } of summary.operations) {
        const service = this.services.get(serviceName);
        if (service === undefined) continue;
        service.traces.delete(trace);
        const operationKey = `${kind}\u0000${name}`;
        const operation = service.operations.get(operationKey);
        if (operation !== undefined && (operation.spans -= spans) <= 0) service.operations.delete(operationKey);
        if ((service.spans -= spans) <= 0) this.services.delete(serviceName);
      }
      for (const functionName of summary.functions) deleteFromSet(this.functions, functionName, trace);
      for (const filePath of summary.files) deleteFromSet(this.files, filePath, trace);
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
    this.functions.clear();
    this.files.clear();
    this.tags.span.clear();
    this.tags.resource.clear();
    this.tagKeyCount = 0;
  }

  serviceNames(): string[] {
    return [...this.services.keys()];
  }

  operations(serviceName: string): { name: string; kind: SpanKind }[] {
    const service = this.services.get(serviceName);
    return service === undefined ? [] : [...service.operations.values()].map(({ name, kind }) => ({ name, kind }));
  }

  tracesOfService(serviceName: string): ReadonlySet<TraceEntry> {
    return this.services.get(serviceName)?.traces ?? EMPTY_SET;
  }

  tracesOfFunction(functionName: string): ReadonlySet<TraceEntry> {
    return this.functions.get(functionName) ?? EMPTY_SET;
  }

  tracesOfFile(filePath: string): ReadonlySet<TraceEntry> {
    return this.files.get(filePath) ?? EMPTY_SET;
  }

  codeFilePaths(): string[] {
    return [...this.files.keys()];
  }

  codeFunctionNames(): string[] {
    return [...this.functions.keys()];
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

function addToSet(map: Map<string, Set<TraceEntry>>, key: string, trace: TraceEntry): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(trace);
}

function deleteFromSet(map: Map<string, Set<TraceEntry>>, key: string, trace: TraceEntry): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(trace);
  if (set.size === 0) map.delete(key);
}
