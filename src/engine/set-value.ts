/*
 * The set value (TYPE `set`), in Redis 7.0's two encodings:
 *  - `intset`: the members as one sorted array of integers (numbers within ±2^53, bigints
 *    beyond, so each value has one representation), found by binary search — as long as every
 *    member is a canonical int64 (Redis's string2ll) and there are at most
 *    set-max-intset-entries of them;
 *  - `hashtable`: a dense table — the members in one array plus a Map from member to position,
 *    a removal filling its hole with the last member — so membership is O(1) and so is a
 *    uniformly random pick (SPOP, SRANDMEMBER).
 * Redis 7.0 has no listpack encoding for sets (7.2 added it): a set that is handed a
 * non-integer member becomes a hashtable at once. Conversions are one way, as in Redis.
 *
 * Positions: both encodings number their members 0 … size-1 (`memberAt`); intset positions are
 * in ascending order, which is the order Redis replies in.
 */
import { parseInt64, type Int64 } from './int64.js';
import type { Collection, ValueKind } from './values.js';

const INTSET_ENTRY = 8;
/** a member's string header and array slot, its Map entry and position */
const TABLE_ENTRY = 88;
const SET_HEADER = 64;

class SetTable {
  readonly members: string[] = [];
  readonly index = new Map<string, number>();

  add(m: string): boolean {
    if (this.index.has(m)) return false;
    this.index.set(m, this.members.length);
    this.members.push(m);
    return true;
  }

  delete(m: string): boolean {
    const i = this.index.get(m);
    if (i === undefined) return false;
    this.index.delete(m);
    const last = this.members.length - 1;
    if (i !== last) {
      const moved = this.members[last]!;
      this.members[i] = moved;
      this.index.set(moved, i);
    }
    this.members.pop();
    return true;
  }
}

/** Position of `v` in the sorted `ints`, or -(insertion point) - 1. */
function search(ints: Int64[], v: Int64): number {
  let lo = 0;
  let hi = ints.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = ints[mid]!;
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

export class SetValue implements Collection {
  /** intset form (sorted), or null once converted to `table` */
  private ints: Int64[] | null;
  private table: SetTable | null = null;
  bytes = SET_HEADER;

  /**
   * An empty set in the encoding Redis's setTypeCreate picks for its first member: an intset
   * when `first` is a canonical integer (or when no member is given), else a hashtable.
   */
  constructor(first?: string) {
    if (first === undefined || parseInt64(first) !== null) this.ints = [];
    else {
      this.ints = null;
      this.table = new SetTable();
    }
  }

  get kind(): ValueKind<SetValue> {
    return SET;
  }

  get isIntset(): boolean {
    return this.ints !== null;
  }

  get size(): number {
    return this.ints !== null ? this.ints.length : this.table!.members.length;
  }

  has(m: string): boolean {
    if (this.ints !== null) {
      const v = parseInt64(m);
      return v !== null && search(this.ints, v) >= 0;
    }
    return this.table!.index.has(m);
  }

  /**
   * Adds `m`; returns whether it was new. An intset converts when `m` is not an integer, or
   * after the insert when it holds more than `maxIntset` members (Redis's setTypeAdd).
   */
  add(m: string, maxIntset: number): boolean {
    const ints = this.ints;
    if (ints !== null) {
      const v = parseInt64(m);
      if (v !== null) {
        const at = search(ints, v);
        if (at >= 0) return false;
        ints.splice(-at - 1, 0, v);
        this.bytes += INTSET_ENTRY;
        if (ints.length > maxIntset) this.convert();
        return true;
      }
      this.convert();
    }
    if (!this.table!.add(m)) return false;
    this.bytes += TABLE_ENTRY + m.length;
    return true;
  }

  /** Removes `m`; returns whether it was there. */
  delete(m: string): boolean {
    const ints = this.ints;
    if (ints !== null) {
      const v = parseInt64(m);
      if (v === null) return false;
      const at = search(ints, v);
      if (at < 0) return false;
      ints.splice(at, 1);
      this.bytes -= INTSET_ENTRY;
      return true;
    }
    if (!this.table!.delete(m)) return false;
    this.bytes -= TABLE_ENTRY + m.length;
    return true;
  }

  /** The member at position `i` (0 ≤ i < size). */
  memberAt(i: number): string {
    return this.ints !== null ? String(this.ints[i]!) : this.table!.members[i]!;
  }

  /** Removes the member at position `i` and returns it (SPOP). */
  deleteAt(i: number): string {
    const m = this.memberAt(i);
    if (this.ints !== null) {
      this.ints.splice(i, 1);
      this.bytes -= INTSET_ENTRY;
    } else {
      this.table!.delete(m);
      this.bytes -= TABLE_ENTRY + m.length;
    }
    return m;
  }

  /** Every member, in position order. */
  members(): string[] {
    return this.ints !== null ? this.ints.map(String) : this.table!.members.slice();
  }

  /** Converts an intset to the hashtable form (one way, as in Redis). */
  convert(): void {
    const ints = this.ints;
    if (ints === null) return;
    const table = new SetTable();
    let bytes = SET_HEADER;
    for (const v of ints) {
      const m = String(v);
      table.add(m);
      bytes += TABLE_ENTRY + m.length;
    }
    this.table = table;
    this.ints = null;
    this.bytes = bytes;
  }

  /** A copy sharing nothing mutable, in the same encoding (COPY). */
  copy(): SetValue {
    const out = new SetValue();
    if (this.ints !== null) out.ints = this.ints.slice();
    else {
      out.ints = null;
      const t = new SetTable();
      for (const m of this.table!.members) t.add(m);
      out.table = t;
    }
    out.bytes = this.bytes;
    return out;
  }
}

export const SET: ValueKind<SetValue> = {
  name: 'set',
  encoding: (v) => (v.isIntset ? 'intset' : 'hashtable'),
  size: (v) => v.bytes,
  copy: (v) => v.copy(),
};
