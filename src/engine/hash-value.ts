/*
 * The hash value (TYPE `hash`), in Redis 7.0's two encodings:
 *  - `listpack`: one flat array of alternating fields and values, [f0, v0, f1, v1, …], in
 *    insertion order (an update keeps its place, a delete closes the gap), looked up by a linear
 *    scan — no object per entry beyond the strings themselves, as Redis's listpack;
 *  - `hashtable`: a dense table — fields and values in two arrays plus a Map from field to its
 *    position, removals filling the hole with the last entry — so a lookup is O(1) and so is
 *    picking a uniformly random entry (HRANDFIELD).
 * A hash starts as a listpack and converts, once and for good, when it grows past
 * hash-max-listpack-entries entries or is handed a field or value longer than
 * hash-max-listpack-value bytes.
 *
 * Positions: both encodings number their entries 0 … length-1 (`fieldAt`, `valueAt`), which is
 * what HRANDFIELD, HGETALL and the scan helper (collection-scan.ts) walk.
 */
import type { Collection, ValueKind } from './values.js';

/** Approximate bytes per entry beyond the field and value bytes: two string headers and slots. */
const LISTPACK_ENTRY = 48;
/** …and in the hashtable form, plus a Map entry and its position. */
const TABLE_ENTRY = 96;
const HASH_HEADER = 64;

/** The hashtable form: fields[i] ↔ values[i]; index maps a field to its position. */
class HashTable {
  readonly fields: string[] = [];
  readonly values: string[] = [];
  readonly index = new Map<string, number>();

  get(field: string): string | undefined {
    const i = this.index.get(field);
    return i === undefined ? undefined : this.values[i];
  }

  /** Returns true when `field` is new. */
  set(field: string, value: string): boolean {
    const i = this.index.get(field);
    if (i !== undefined) {
      this.values[i] = value;
      return false;
    }
    this.index.set(field, this.fields.length);
    this.fields.push(field);
    this.values.push(value);
    return true;
  }

  /** Removes `field`, moving the last entry into its place. Returns the removed value. */
  delete(field: string): string | undefined {
    const i = this.index.get(field);
    if (i === undefined) return undefined;
    const value = this.values[i]!;
    const last = this.fields.length - 1;
    this.index.delete(field);
    if (i !== last) {
      const moved = this.fields[last]!;
      this.fields[i] = moved;
      this.values[i] = this.values[last]!;
      this.index.set(moved, i);
    }
    this.fields.pop();
    this.values.pop();
    return value;
  }
}

export class HashValue implements Collection {
  /** listpack form, or null once converted to `table` */
  private lp: string[] | null = [];
  private table: HashTable | null = null;
  /** approximate bytes held (memory accounting) */
  bytes = HASH_HEADER;

  get kind(): ValueKind<HashValue> {
    return HASH;
  }

  get isListpack(): boolean {
    return this.lp !== null;
  }

  get length(): number {
    return this.lp !== null ? this.lp.length >> 1 : this.table!.fields.length;
  }

  /** The position of `field` in the listpack form, or -1. */
  private lpFind(field: string): number {
    const lp = this.lp!;
    for (let i = 0; i < lp.length; i += 2) if (lp[i] === field) return i;
    return -1;
  }

  get(field: string): string | undefined {
    if (this.lp !== null) {
      const i = this.lpFind(field);
      return i < 0 ? undefined : this.lp[i + 1];
    }
    return this.table!.get(field);
  }

  has(field: string): boolean {
    return this.lp !== null ? this.lpFind(field) >= 0 : this.table!.index.has(field);
  }

  /**
   * Sets `field` to `value`; returns true when the field is new. A listpack converts first when
   * the field or the value is longer than `limits.value`, and after the insert when it then holds
   * more than `limits.entries` entries (Redis's hashTypeSet).
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.lp !== null && (field.length > limits.value || value.length > limits.value)) this.convert();
    const lp = this.lp;
    if (lp !== null) {
      const i = this.lpFind(field);
      if (i >= 0) {
        this.bytes += value.length - lp[i + 1]!.length;
        lp[i + 1] = value;
        return false;
      }
      lp.push(field, value);
      this.bytes += LISTPACK_ENTRY + field.length + value.length;
      if (lp.length >> 1 > limits.entries) this.convert();
      return true;
    }
    const old = this.table!.get(field);
    this.table!.set(field, value);
    if (old !== undefined) {
      this.bytes += value.length - old.length;
      return false;
    }
    this.bytes += TABLE_ENTRY + field.length + value.length;
    return true;
  }

  /** Removes `field`; returns whether it was there. */
  delete(field: string): boolean {
    if (this.lp !== null) {
      const i = this.lpFind(field);
      if (i < 0) return false;
      this.bytes -= LISTPACK_ENTRY + field.length + this.lp[i + 1]!.length;
      this.lp.splice(i, 2);
      return true;
    }
    const old = this.table!.delete(field);
    if (old === undefined) return false;
    this.bytes -= TABLE_ENTRY + field.length + old.length;
    return true;
  }

  /** The field at position `i` (0 ≤ i < length). */
  fieldAt(i: number): string {
    return this.lp !== null ? this.lp[i << 1]! : this.table!.fields[i]!;
  }

  /** The value at position `i` (0 ≤ i < length). */
  valueAt(i: number): string {
    return this.lp !== null ? this.lp[(i << 1) + 1]! : this.table!.values[i]!;
  }

  /** Converts a listpack to the hashtable form (one way, as in Redis). */
  convert(): void {
    const lp = this.lp;
    if (lp === null) return;
    const table = new HashTable();
    let bytes = HASH_HEADER;
    for (let i = 0; i < lp.length; i += 2) {
      table.set(lp[i]!, lp[i + 1]!);
      bytes += TABLE_ENTRY + lp[i]!.length + lp[i + 1]!.length;
    }
    this.table = table;
    this.lp = null;
    this.bytes = bytes;
  }

  /** A copy sharing nothing mutable, in the same encoding (COPY). */
  copy(): HashValue {
    const out = new HashValue();
    if (this.lp !== null) out.lp = this.lp.slice();
    else {
      out.lp = null;
      const t = new HashTable();
      const src = this.table!;
      for (let i = 0; i < src.fields.length; i++) t.set(src.fields[i]!, src.values[i]!);
      out.table = t;
    }
    out.bytes = this.bytes;
    return out;
  }
}

/** hash-max-listpack-entries and hash-max-listpack-value. */
export interface HashLimits {
  entries: number;
  value: number;
}

export const HASH: ValueKind<HashValue> = {
  name: 'hash',
  encoding: (v) => (v.isListpack ? 'listpack' : 'hashtable'),
  size: (v) => v.bytes,
  copy: (v) => v.copy(),
};
