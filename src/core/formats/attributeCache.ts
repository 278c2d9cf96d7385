// Most attribute values repeat from span to span (http.request.method=GET, db.system=postgresql).
// Sharing one immutable Attribute per key and value removes most of the objects a large trace would
// allocate, and with them much of the garbage collector's work, which dominates parse time. Keys
// whose values hardly repeat (URLs, IDs) stop being cached once they have shown enough values.

import type { Attribute } from '../model/trace';

const MAX_VALUES_PER_KEY = 256;

/** Values seen per key; null once the key proved to have too many distinct values to be worth it. */
type Table<V> = Map<string, Map<V, Attribute> | null>;

export class AttributeCache {
  private readonly strings: Table<string> = new Map();
  private readonly ints: Table<number> = new Map();
  private readonly doubles: Table<number> = new Map();
  private readonly bools: Table<boolean> = new Map();

  string(key: string, value: string): Attribute {
    return lookup(this.strings, key, value) ?? remember(this.strings, key, value, { key, value: { type: 'string', value } });
  }

  /** An integer that is exact as a JSON number. */
  int(key: string, value: number): Attribute {
    return lookup(this.ints, key, value) ?? remember(this.ints, key, value, { key, value: { type: 'int', value: String(value) } });
  }

  double(key: string, value: number): Attribute {
    return lookup(this.doubles, key, value) ?? remember(this.doubles, key, value, { key, value: { type: 'double', value } });
  }

  bool(key: string, value: boolean): Attribute {
    return lookup(this.bools, key, value) ?? remember(this.bools, key, value, { key, value: { type: 'bool', value } });
  }
}

function lookup<V>(table: Table<V>, key: string, value: V): Attribute | undefined {
  const values = table.get(key);
  return values ? values.get(value) : undefined;
}

function remember<V>(table: Table<V>, key: string, value: V, attribute: Attribute): Attribute {
  let values = table.get(key);
  if (values === null) return attribute;
  if (values === undefined) {
    values = new Map();
    table.set(key, values);
  } else if (values.size >= MAX_VALUES_PER_KEY) {
    table.set(key, null);
    return attribute;
  }
  values.set(value, attribute);
  return attribute;
}
