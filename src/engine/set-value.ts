/*
 * The set value (TYPE `set`), in Redis 7.0's two encodings:
 *  - `intset`: the members as one packed string of fixed-width big-endian integers in ascending
 *    order (2, 4 or 8 bytes each: the width of the widest member, widened for all when a wider
 *    one arrives, as Redis's intset upgrades), found by binary search — as long as every member
 *    is a canonical int64 (Redis's string2ll) and there are at most set-max-intset-entries of
 *    them. Like a hash's listpack, a write builds a new flat string (O(n), as Redis memmoves);
 *  - `hashtable`: a dense table (entry-table.ts: the members' bytes off the V8 heap, an index by
 *    hash, positions 0 … size-1 with a removal filling its hole with the last member) — so
 *    membership is O(1) and so is a uniformly random pick (SPOP, SRANDMEMBER).
 * Redis 7.0 has no listpack encoding for sets (7.2 added it): a set that is handed a
 * non-integer member becomes a hashtable at once — as far as OBJECT ENCODING tells. Underneath,
 * a small one (at most SMALL_ENTRIES members of at most SMALL_VALUE bytes, Redis 7.2's
 * set-max-listpack-* defaults) is held as a third form, `entries`: the members as packed entries
 * (packed-entries.ts) in insertion order, scanned in place — so that it is stored as those bytes
 * in its record (packed-collections.ts) and costs no object per member; it becomes the dense
 * table when it grows past those limits. Conversions are one way, as in Redis.
 *
 * Positions: both encodings number their members 0 … size-1 (`memberAt`); intset positions are
 * in ascending order, which is the order Redis replies in.
 */
import { EntryTable } from './entry-table.js';
import { parseInt64, type Int64 } from './int64.js';
import { bytesAre, decodeAll, encodeEntry, entryEnd, entryStart, flatString } from './packed-entries.js';
import { registerPacking } from './packed-collections.js';
import type { Collection, ValueKind } from './values.js';

/**
 * bytes per hashtable member beyond its own (entry-table.ts): 2–4 index slots of 8 bytes (at most
 * half full) and 20–40 bytes of position words (doubled as it grows)
 */
const TABLE_ENTRY = 56;
const SET_HEADER = 56;
/** the most members, and the longest, of a set held as packed entries (Redis 7.2's set-max-listpack-*) */
export const SMALL_ENTRIES = 128;
export const SMALL_VALUE = 64;
/** `width` of a set held as packed entries */
const ENTRIES = 0;

const TWO_32 = 4294967296;

/** Bytes needed for `v`: 2, 4 or 8 (Redis's INTSET_ENC_INT16/32/64). */
function widthOf(v: Int64): number {
  if (typeof v === 'bigint') return 8;
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** `v` as `width` big-endian two's-complement bytes. */
function encodeInt(v: Int64, width: number): string {
  if (width === 2) {
    const x = Number(v) & 0xffff;
    return String.fromCharCode(x >>> 8, x & 255);
  }
  if (width === 4) {
    const x = Number(v) | 0;
    return String.fromCharCode((x >>> 24) & 255, (x >>> 16) & 255, (x >>> 8) & 255, x & 255);
  }
  let hi: number;
  let lo: number;
  if (typeof v === 'bigint') {
    hi = Number(BigInt.asIntN(32, v >> 32n));
    lo = Number(v & 0xffffffffn);
  } else {
    hi = Math.floor(v / TWO_32);
    lo = v - hi * TWO_32;
  }
  return encodeInt(hi, 4) + encodeInt(lo, 4);
}

/** The integer at byte offset `at` of `s`, `width` bytes wide (numbers within ±2^53). */
function decodeInt(s: string, at: number, width: number): Int64 {
  if (width === 2) {
    const x = (s.charCodeAt(at) << 8) | s.charCodeAt(at + 1);
    return x >= 0x8000 ? x - 0x10000 : x;
  }
  const hi = (s.charCodeAt(at) << 24) | (s.charCodeAt(at + 1) << 16) | (s.charCodeAt(at + 2) << 8) | s.charCodeAt(at + 3);
  if (width === 4) return hi;
  const lo = ((s.charCodeAt(at + 4) << 24) | (s.charCodeAt(at + 5) << 16) | (s.charCodeAt(at + 6) << 8) | s.charCodeAt(at + 7)) >>> 0;
  if (hi >= -2097152 && hi <= 2097151) {
    const n = hi * TWO_32 + lo;
    if (Number.isSafeInteger(n)) return n;
  }
  return (BigInt(hi) << 32n) + BigInt(lo);
}

export class SetValue implements Collection {
  /** the packed intset or entries, or the hashtable once converted */
  private data: string | EntryTable;
  /** bytes per intset member: 2, 4 or 8; ENTRIES for packed entries */
  private width = 2;
  /**
   * members held as packed entries, or -1 while unknown: unpacking does not walk the entries to
   * count them; a lookup that misses walks them all and counts on the way
   */
  private count = 0;
  /** a packed-entries position and the offset of its entry (sequential memberAt is O(1)) */
  private cursorIndex = 0;
  private cursorAt = 0;
  /** every packed entry's offset, once a read went backwards (null after a write) */
  private offsets: Int32Array | null = null;

  /**
   * An empty set in the encoding Redis's setTypeCreate picks for its first member: an intset
   * when `first` is a canonical integer (or when no member is given), else a hashtable (held as
   * packed entries while small).
   */
  constructor(first?: string) {
    if (first === undefined || parseInt64(first) !== null) this.data = '';
    else if (first.length <= SMALL_VALUE) {
      this.data = '';
      this.width = ENTRIES;
    } else this.data = new EntryTable();
  }

  get kind(): ValueKind<SetValue> {
    return SET;
  }

  get isIntset(): boolean {
    return typeof this.data === 'string' && this.width !== ENTRIES;
  }

  get size(): number {
    const d = this.data;
    if (typeof d !== 'string') return d.size;
    if (this.width !== ENTRIES) return d.length / this.width;
    if (this.count < 0) {
      let n = 0;
      for (let at = 0; at < d.length; at = entryEnd(d, at)) n++;
      this.count = n;
    }
    return this.count;
  }

  /** approximate bytes held (memory accounting) */
  get bytes(): number {
    const d = this.data;
    return SET_HEADER + (typeof d === 'string' ? d.length : d.liveBytes + TABLE_ENTRY * d.size);
  }

  /** The intset position of `v`, or -(insertion point) - 1. */
  private search(v: Int64): number {
    const s = this.data as string;
    const w = this.width;
    let lo = 0;
    let hi = s.length / w - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = decodeInt(s, mid * w, w);
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  /** The offset of the packed entry holding `m`, or -1 (then the count is known). */
  private find(m: string): number {
    const s = this.data as string;
    const n = m.length;
    let k = 0;
    for (let at = 0; at < s.length; k++) {
      const start = entryStart(s, at);
      const end = entryEnd(s, at);
      if (end - start === n && bytesAre(s, start, m)) return at;
      at = end;
    }
    this.count = k;
    return -1;
  }

  has(m: string): boolean {
    const d = this.data;
    if (typeof d !== 'string') return d.has(m);
    if (this.width === ENTRIES) return this.find(m) >= 0;
    const v = parseInt64(m);
    return v !== null && widthOf(v) <= this.width && this.search(v) >= 0;
  }

  /**
   * Adds `m`; returns whether it was new. An intset converts when `m` is not an integer, or
   * after the insert when it holds more than `maxIntset` members (Redis's setTypeAdd).
   */
  add(m: string, maxIntset: number): boolean {
    if (typeof this.data === 'string' && this.width !== ENTRIES) {
      const v = parseInt64(m);
      if (v !== null) {
        const need = widthOf(v);
        if (need > this.width) this.widen(need);
        const at = this.search(v);
        if (at >= 0) return false;
        const s = this.data as string;
        const cut = (-at - 1) * this.width;
        this.data = flatString(s.slice(0, cut), encodeInt(v, this.width), s.slice(cut));
        if (this.size > maxIntset) this.convert(0);
        return true;
      }
      this.convert(m.length);
    }
    const d = this.data;
    if (typeof d !== 'string') return d.add(m);
    if (this.find(m) >= 0) return false;
    if (m.length > SMALL_VALUE || this.count >= SMALL_ENTRIES) {
      this.toTable();
      return (this.data as EntryTable).add(m);
    }
    this.data = flatString(d, encodeEntry(m));
    this.count++;
    this.offsets = null;
    return true;
  }

  /** Re-encodes every intset member `width` bytes wide (Redis's intsetUpgradeAndAdd). */
  private widen(width: number): void {
    const s = this.data as string;
    const parts: string[] = [];
    for (let at = 0; at < s.length; at += this.width) parts.push(encodeInt(decodeInt(s, at, this.width), width));
    this.data = flatString(...parts);
    this.width = width;
  }

  /** Removes `m`; returns whether it was there. */
  delete(m: string): boolean {
    const d = this.data;
    if (typeof d !== 'string') return d.delete(m);
    if (this.width === ENTRIES) {
      const at = this.find(m);
      if (at < 0) return false;
      this.removeEntryAt(at);
      return true;
    }
    const v = parseInt64(m);
    if (v === null || widthOf(v) > this.width) return false;
    const at = this.search(v);
    if (at < 0) return false;
    this.removeIntAt(at);
    return true;
  }

  private removeIntAt(i: number): void {
    const s = this.data as string;
    const w = this.width;
    this.data = flatString(s.slice(0, i * w), s.slice((i + 1) * w));
  }

  /** Removes the packed entry at offset `at`. */
  private removeEntryAt(at: number): void {
    const s = this.data as string;
    this.data = flatString(s.slice(0, at), s.slice(entryEnd(s, at)));
    if (this.count > 0) this.count--;
    this.cursorIndex = 0;
    this.cursorAt = 0;
    this.offsets = null;
  }

  /**
   * The offset of the packed entry at position `i` (0 ≤ i < size): walked on from the last one
   * asked for when `i` is not before it (in-order reads are O(1) each), else looked up in an
   * index of every entry's offset built once (random picks: SRANDMEMBER, SPOP) until the next write.
   */
  private entryOffset(i: number): number {
    const s = this.data as string;
    if (i < this.cursorIndex) {
      let offsets = this.offsets;
      if (offsets === null) {
        const n = this.size;
        offsets = this.offsets = new Int32Array(n);
        for (let k = 0, at = 0; k < n; k++, at = entryEnd(s, at)) offsets[k] = at;
      }
      return offsets[i]!;
    }
    let at = this.cursorAt;
    for (let k = this.cursorIndex; k < i; k++) at = entryEnd(s, at);
    this.cursorIndex = i;
    this.cursorAt = at;
    return at;
  }

  /** The member at position `i` (0 ≤ i < size). */
  memberAt(i: number): string {
    const d = this.data;
    if (typeof d !== 'string') return d.keyAt(i);
    if (this.width !== ENTRIES) return String(decodeInt(d, i * this.width, this.width));
    const at = this.entryOffset(i);
    return d.slice(entryStart(d, at), entryEnd(d, at));
  }

  /** Removes the member at position `i` and returns it (SPOP). */
  deleteAt(i: number): string {
    const m = this.memberAt(i);
    const d = this.data;
    if (typeof d !== 'string') d.deleteAt(i);
    else if (this.width === ENTRIES) this.removeEntryAt(this.entryOffset(i));
    else this.removeIntAt(i);
    return m;
  }

  /** Every member, in position order. */
  members(): string[] {
    const d = this.data;
    if (this.width === ENTRIES && typeof d === 'string') return decodeAll(d);
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.memberAt(i));
    return out;
  }

  /**
   * Converts an intset to the hashtable form (one way, as in Redis): packed entries while it
   * stays small with a member of `adding` bytes to come, else the table.
   */
  private convert(adding: number): void {
    if (adding <= SMALL_VALUE && this.size < SMALL_ENTRIES) {
      const parts: string[] = [];
      for (let i = 0; i < this.size; i++) parts.push(encodeEntry(this.memberAt(i)));
      this.count = this.size;
      this.data = flatString(...parts);
      this.width = ENTRIES;
      this.cursorIndex = 0;
      this.cursorAt = 0;
      return;
    }
    this.toTable();
  }

  /** Converts an intset or packed entries to the dense table (one way). */
  private toTable(): void {
    if (typeof this.data !== 'string') return;
    const members = this.width === ENTRIES ? decodeAll(this.data) : this.members();
    const table = new EntryTable(members.length + 1);
    for (const m of members) table.add(m);
    this.data = table;
  }

  /** The packed form (packed-collections.ts): the width (0: entries), then the members; null once a table. */
  packed(): string | null {
    const d = this.data;
    return typeof d === 'string' ? flatString(String.fromCharCode(this.width), d) : null;
  }

  /** The set whose packed form is `bytes`. */
  static fromPacked(bytes: string): SetValue {
    const v = new SetValue();
    v.width = bytes.charCodeAt(0);
    const d = bytes.slice(1);
    v.data = d;
    if (v.width === ENTRIES) v.count = -1; // counted when asked for (`size`) or by a lookup that misses
    return v;
  }

  /** A copy sharing nothing mutable, in the same encoding (COPY). */
  copy(): SetValue {
    const out = new SetValue();
    const d = this.data;
    if (typeof d === 'string') {
      out.data = d; // strings are immutable: the copy may share it
      out.width = this.width;
      out.count = this.count;
    } else out.data = d.clone();
    return out;
  }
}

export const SET: ValueKind<SetValue> = {
  name: 'set',
  encoding: (v) => (v.isIntset ? 'intset' : 'hashtable'),
  size: (v) => v.bytes,
  copy: (v) => v.copy(),
  packing: { id: 2, pack: (v) => v.packed(), unpack: (bytes) => SetValue.fromPacked(bytes) },
};
registerPacking(SET);
