/*
 * The hash value (TYPE `hash`), in Redis 7.0's two encodings:
 *  - `listpack`: ONE packed latin1 string holding every field and value in insertion order, each
 *    entry a length header then its bytes (see `packed-entries.ts`) — no object per entry, as
 *    Redis's listpack. An update keeps the entry's place, a delete closes the gap; each write
 *    builds a new flat string (O(n) in the listpack's bytes, as Redis's listpack memmoves), and
 *    a lookup scans it (`bytesAre`: an entry of the right length and last byte is compared
 *    as a slice);
 *  - `hashtable`: a dense table (entry-table.ts: fields and values as bytes off the V8 heap, an
 *    index by hash, positions 0 … length-1 with a removal filling the hole with the last entry)
 *    — so a lookup is O(1) and so is picking a uniformly random entry (HRANDFIELD).
 * A hash starts as a listpack and converts, once and for good, when it grows past
 * hash-max-listpack-entries entries or is handed a field or value longer than
 * hash-max-listpack-value bytes (Redis 7.0's hashTypeSet).
 *
 * Positions: `view()` numbers the entries 0 … length-1 (fieldAt, valueAt), which is what
 * HRANDFIELD, HGETALL and the scan helper (collection-scan.ts) walk. A listpack's view decodes
 * it once; it is valid until the next write.
 */
import { EntryTable } from './entry-table.js';
import { registerPacking } from './packed-collections.js';
import { bytesAre, decodeAll, encodeEntry, entryEnd, entryStart, flatString } from './packed-entries.js';
import type { Collection, ValueKind } from './values.js';

/** Approximate bytes of a hash object, and per hashtable entry beyond its field and value bytes. */
const HASH_HEADER = 56;
const TABLE_ENTRY = 56; // the index slots and position words of entry-table.ts, as a set's

/** hash-max-listpack-entries and hash-max-listpack-value (the server's config `limits` is one). */
export interface HashLimits {
  readonly hashEntries: number;
  readonly hashValue: number;
}

/** Fields and values by position, 0 … length-1. */
export interface HashView {
  readonly length: number;
  fieldAt(i: number): string;
  valueAt(i: number): string;
}

/** The hashtable form: an EntryTable (entry-table.ts) of fields with their values, read by position. */
class HashTable extends EntryTable implements HashView {
  get length(): number {
    return this.size;
  }

  fieldAt(i: number): string {
    return this.keyAt(i);
  }

  get(field: string): string | undefined {
    const i = this.find(field);
    return i < 0 ? undefined : this.valueAt(i);
  }

  /** Returns true when `field` is new. */
  set(field: string, value: string): boolean {
    const i = this.find(field);
    if (i < 0) {
      this.insertFound(field, value);
      return true;
    }
    this.setValueAt(i, value);
    return false;
  }

  /** bytes of the fields and values, plus TABLE_ENTRY per entry */
  get bytes(): number {
    return this.liveBytes + TABLE_ENTRY * this.size;
  }

  copy(): HashTable {
    const t = new HashTable();
    t.copyFrom(this);
    return t;
  }
}

/** A decoded listpack: [f0, v0, f1, v1, …]. */
class PairsView implements HashView {
  constructor(private readonly flat: string[]) {}

  get length(): number {
    return this.flat.length >> 1;
  }

  fieldAt(i: number): string {
    return this.flat[i << 1]!;
  }

  valueAt(i: number): string {
    return this.flat[(i << 1) + 1]!;
  }
}

/** Whether the entry of `lp` at `at` (ending at `end`) holds exactly `value`. */
function entryIs(lp: string, at: number, end: number, value: string): boolean {
  const start = entryStart(lp, at);
  return end - start === value.length && bytesAre(lp, start, value);
}

export class HashValue implements Collection {
  /** the packed listpack, or the hashtable once converted */
  private data: string | HashTable = '';
  /**
   * fields in the listpack, or -1 while unknown (unused once converted): unpacking does not walk
   * the listpack to count them; a lookup that misses walks it whole and counts on the way
   */
  private count = 0;

  get kind(): ValueKind<HashValue> {
    return HASH;
  }

  get isListpack(): boolean {
    return typeof this.data === 'string';
  }

  get length(): number {
    const d = this.data;
    if (typeof d !== 'string') return d.length;
    if (this.count < 0) {
      let n = 0;
      for (let at = 0; at < d.length; at = entryEnd(d, entryEnd(d, at))) n++;
      this.count = n;
    }
    return this.count;
  }

  /** approximate bytes held (memory accounting) */
  get bytes(): number {
    return HASH_HEADER + (typeof this.data === 'string' ? this.data.length : this.data.bytes);
  }

  /** Offset of the entry holding `field` in the listpack `lp`, or -1 (then the count is known). */
  private find(lp: string, field: string): number {
    const n = field.length;
    let pairs = 0;
    for (let at = 0; at < lp.length; pairs++) {
      const start = entryStart(lp, at);
      const end = entryEnd(lp, at);
      if (end - start === n && bytesAre(lp, start, field)) return at;
      at = entryEnd(lp, end); // skip the value
    }
    this.count = pairs;
    return -1;
  }

  get(field: string): string | undefined {
    const lp = this.data;
    if (typeof lp !== 'string') return lp.get(field);
    const at = this.find(lp, field);
    if (at < 0) return undefined;
    const v = entryEnd(lp, at);
    return lp.slice(entryStart(lp, v), entryEnd(lp, v));
  }

  has(field: string): boolean {
    const lp = this.data;
    return typeof lp === 'string' ? this.find(lp, field) >= 0 : lp.has(field);
  }

  /**
   * Sets `field` to `value`; returns true when the field is new. A listpack converts first when
   * the field or the value is longer than `limits.hashValue`, and after the insert when it then
   * holds more than `limits.hashEntries` entries (Redis's hashTypeSet).
   */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (typeof this.data === 'string' && (field.length > limits.hashValue || value.length > limits.hashValue)) this.convert();
    const lp = this.data;
    if (typeof lp !== 'string') return lp.set(field, value);
    const at = this.find(lp, field);
    if (at >= 0) {
      const v = entryEnd(lp, at);
      const end = entryEnd(lp, v);
      // the same value again leaves the listpack as it is (its record need not be rewritten)
      if (!entryIs(lp, v, end, value)) this.data = flatString(lp.slice(0, v), encodeEntry(value), lp.slice(end));
      return false;
    }
    this.data = flatString(lp, encodeEntry(field), encodeEntry(value));
    if (++this.count > limits.hashEntries) this.convert();
    return true;
  }

  /** Removes `field`; returns whether it was there. */
  delete(field: string): boolean {
    const lp = this.data;
    if (typeof lp !== 'string') return lp.delete(field);
    const at = this.find(lp, field);
    if (at < 0) return false;
    this.data = flatString(lp.slice(0, at), lp.slice(entryEnd(lp, entryEnd(lp, at))));
    if (this.count > 0) this.count--;
    return true;
  }

  /** Fields and values by position, valid until the next write. */
  view(): HashView {
    const lp = this.data;
    return typeof lp === 'string' ? new PairsView(decodeAll(lp)) : lp;
  }

  /** Converts a listpack to the hashtable form (one way, as in Redis). */
  convert(): void {
    const lp = this.data;
    if (typeof lp !== 'string') return;
    const flat = decodeAll(lp);
    const table = new HashTable((flat.length >> 1) + 1);
    for (let i = 0; i < flat.length; i += 2) table.set(flat[i]!, flat[i + 1]!);
    this.data = table;
  }

  /** The listpack (packed-collections.ts), or null once a hashtable. */
  packed(): string | null {
    return typeof this.data === 'string' ? this.data : null;
  }

  /** The hash whose listpack is `lp`. */
  static fromPacked(lp: string): HashValue {
    const h = new HashValue();
    h.data = lp;
    h.count = -1; // counted when asked for (`length`) or by a lookup that misses
    return h;
  }

  /** A copy sharing nothing mutable, in the same encoding (COPY). */
  copy(): HashValue {
    const out = new HashValue();
    const src = this.data;
    if (typeof src === 'string') {
      out.data = src; // strings are immutable: the copy may share it
      out.count = this.count;
    } else out.data = src.copy();
    return out;
  }
}

export const HASH: ValueKind<HashValue> = {
  name: 'hash',
  encoding: (v) => (v.isListpack ? 'listpack' : 'hashtable'),
  size: (v) => v.bytes,
  copy: (v) => v.copy(),
  packing: { id: 1, pack: (v) => v.packed(), unpack: (lp) => HashValue.fromPacked(lp) },
};
registerPacking(HASH);
