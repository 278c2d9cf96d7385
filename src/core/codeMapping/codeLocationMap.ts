// A map keyed by every field of a SpanCodeLocation, kept in insertion order. Lookups go through nested maps
// on the fields themselves rather than a key string built per call: the store hands out a new location
// object per span, and building and hashing a joined key cost more than the rest of a cache hit.

import type { SpanCodeLocation } from './spanCodeLocation';

/** The stack trace when there is one (it is the most telling field then), else the line. */
type ThirdKey = string | number | undefined;

interface Slot<V> {
  readonly functionName: string | undefined;
  readonly filePath: string | undefined;
  readonly lineNumber: number | undefined;
  readonly columnNumber: number | undefined;
  readonly stackTrace: string | undefined;
  readonly fileOrigin: SpanCodeLocation['fileOrigin'];
  value: V;
  /** Deleted from the map: its entry in `byObject` no longer counts. */
  removed: boolean;
  /** The location object it was last found by; found by it again, the object goes into `byObject`. */
  lastFoundBy: SpanCodeLocation | undefined;
  /** The containers it sits in, so that deleting it can drop the ones it leaves empty. */
  readonly siblings: Slot<V>[];
  readonly byThird: Map<ThirdKey, Slot<V>[]>;
  readonly byFile: Map<string | undefined, Map<ThirdKey, Slot<V>[]>>;
}

export class CodeLocationMap<V> {
  private readonly byFunction = new Map<string | undefined, Map<string | undefined, Map<ThirdKey, Slot<V>[]>>>();
  /** Oldest first. */
  private readonly order = new Set<Slot<V>>();
  /**
   * Slots by location objects seen more than once (locations are never changed once made): callers that
   * share one object per location skip the field lookups. Objects made per lookup are not kept here.
   */
  private byObject = new WeakMap<SpanCodeLocation, Slot<V>>();

  get size(): number {
    return this.order.size;
  }

  get(location: SpanCodeLocation): V | undefined {
    return this.find(location)?.value;
  }

  /** Sets the value; a location already present keeps its place in the order. */
  set(location: SpanCodeLocation, value: V): void {
    const found = this.find(location);
    if (found !== undefined) {
      found.value = value;
      return;
    }
    let byFile = this.byFunction.get(location.functionName);
    if (byFile === undefined) {
      byFile = new Map();
      this.byFunction.set(location.functionName, byFile);
    }
    let byThird = byFile.get(location.filePath);
    if (byThird === undefined) {
      byThird = new Map();
      byFile.set(location.filePath, byThird);
    }
    const third = thirdKey(location);
    let siblings = byThird.get(third);
    if (siblings === undefined) {
      siblings = [];
      byThird.set(third, siblings);
    }
    const { functionName, filePath, lineNumber, columnNumber, stackTrace, fileOrigin } = location;
    const slot: Slot<V> = { functionName, filePath, lineNumber, columnNumber, stackTrace, fileOrigin, value, removed: false, lastFoundBy: location, siblings, byThird, byFile };
    siblings.push(slot);
    this.order.add(slot);
  }

  delete(location: SpanCodeLocation): boolean {
    const slot = this.find(location);
    if (slot === undefined) return false;
    this.remove(slot);
    return true;
  }

  deleteOldest(): void {
    const oldest = this.order.values().next();
    if (oldest.done !== true) this.remove(oldest.value);
  }

  clear(): void {
    this.byFunction.clear();
    this.order.clear();
    this.byObject = new WeakMap();
  }

  private find(location: SpanCodeLocation): Slot<V> | undefined {
    const known = this.byObject.get(location);
    if (known !== undefined && !known.removed) return known;
    const slot = this.findByFields(location);
    if (slot === undefined) return undefined;
    if (slot.lastFoundBy === location) this.byObject.set(location, slot);
    else slot.lastFoundBy = location;
    return slot;
  }

  private findByFields(location: SpanCodeLocation): Slot<V> | undefined {
    const byThird = this.byFunction.get(location.functionName)?.get(location.filePath);
    if (byThird === undefined) return undefined;
    const siblings = byThird.get(thirdKey(location));
    if (siblings === undefined) return undefined;
    // The maps matched the function, the file, and the stack trace or else the line; the rest is compared here.
    const withStack = location.stackTrace !== undefined;
    for (let i = 0; i < siblings.length; i++) {
      const slot = siblings[i];
      if (slot.columnNumber === location.columnNumber && slot.fileOrigin === location.fileOrigin && (!withStack || slot.lineNumber === location.lineNumber)) {
        return slot;
      }
    }
    return undefined;
  }

  private remove(slot: Slot<V>): void {
    slot.removed = true;
    this.order.delete(slot);
    const { siblings, byThird, byFile } = slot;
    siblings.splice(siblings.indexOf(slot), 1);
    if (siblings.length > 0) return;
    byThird.delete(thirdKey(slot));
    if (byThird.size > 0) return;
    byFile.delete(slot.filePath);
    if (byFile.size > 0) return;
    this.byFunction.delete(slot.functionName);
  }
}

function thirdKey(location: Pick<SpanCodeLocation, 'stackTrace' | 'lineNumber'>): ThirdKey {
  return location.stackTrace ?? location.lineNumber;
}
