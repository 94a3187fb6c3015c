/*
 * The list value (TYPE `list`): a deque of byte strings in a ring buffer, so pushes and pops at
 * either end are O(1) (amortised: the buffer doubles when full and halves when a quarter full)
 * and index access is O(1) too; insertion and removal inside the list move the shorter side, as
 * Redis's O(n) commands allow.
 *
 * OBJECT ENCODING follows Redis 7.2: a list is `listpack` while what it holds would fit one
 * listpack node under `list-max-listpack-size`, and `quicklist` from the first push that would not
 * (Redis's quicklistNodeExceedsLimit: a negative setting is a byte limit of 4, 8, 16, 32 or
 * 64 KB; a positive one an entry count, with an 8 KB safety limit). The listpack's byte size is
 * tracked as Redis lays it out (entry header, integer or string payload, back-length) while the
 * list is small; once `quicklist`, it stays so (see docs/compatibility.md).
 *
 * A `listpack` list is stored packed in its record (packed-collections.ts, the form in
 * packed-list.ts): a header with its listpack size, length and payload, then its elements as
 * entries that can be walked from either end. Unpacking reads the header only; the list keeps
 * the packed string as it is (`lp`) while a command only pushes or pops at the ends, reads a
 * range or the length: a pop moves a window's end over one entry, a push goes to a small array
 * at its end, and settle writes back only the header and the pushed entries (`packedEdit`), so
 * each is O(1) in the list's size. The other operations (index access, LSET, LINSERT, LREM,
 * LTRIM) decode the entries into the ring buffer first, and settle then packs the whole list.
 */
import { parseInt64 } from './int64.js';
import { registerPacking } from './packed-collections.js';
import { flatString } from './packed-entries.js';
import {
  dataEnd,
  dataStart,
  decodeListEntries,
  encodeListEntries,
  encodeListEntry,
  LIST_HEADER,
  listEntryBackward,
  listEntryForward,
  listHeader,
  readU32,
} from './packed-list.js';
import type { Collection, PackedEdit, ValueKind } from './values.js';

const MIN_CAPACITY = 4;
/** listpack header (total bytes, entry count) and end byte */
const LISTPACK_OVERHEAD = 7;
/** quicklist node size limits for list-max-listpack-size -1 … -5 */
const NODE_SIZE_LIMITS = [4096, 8192, 16384, 32768, 65536] as const;
/** the size any node is held to when the limit is an entry count (SIZE_SAFETY_LIMIT) */
const SIZE_SAFETY_LIMIT = 8192;

/** Bytes one element takes in a listpack: encoding header, payload, back-length. */
export function listpackEntrySize(s: string): number {
  let size: number;
  const n = s.length;
  const v = n <= 20 ? parseInt64(s) : null;
  if (v !== null) {
    if (v >= 0 && v <= 127) size = 1;
    else if (v >= -4096 && v <= 4095) size = 2;
    else if (v >= -32768 && v <= 32767) size = 3;
    else if (v >= -8388608 && v <= 8388607) size = 4;
    else if (v >= -2147483648 && v <= 2147483647) size = 5;
    else size = 9;
  } else if (n < 64) size = 1 + n;
  else if (n < 4096) size = 2 + n;
  else size = 5 + n;
  const back = size < 128 ? 1 : size < 16384 ? 2 : size < 2097152 ? 3 : size < 268435456 ? 4 : 5;
  return size + back;
}

/**
 * Whether a listpack of `bytes` bytes and `count` entries exceeds what one quicklist node may
 * hold under `fill` (list-max-listpack-size), as Redis's quicklistNodeExceedsLimit.
 */
export function exceedsListpackNode(fill: number, bytes: number, count: number): boolean {
  if (fill < 0) return bytes > NODE_SIZE_LIMITS[Math.min(-fill - 1, NODE_SIZE_LIMITS.length - 1)]!;
  if (bytes > SIZE_SAFETY_LIMIT) return true;
  return count > (fill === 0 ? 1 : fill);
}

export class ListValue implements Collection {
  get kind(): ValueKind<ListValue> {
    return LIST;
  }

  private items: Array<string | undefined>;
  /** index in `items` of the first element; capacity is a power of two */
  private head = 0;
  private mask: number;
  length = 0;
  /** the sum of the elements' lengths (memory accounting) */
  payload = 0;
  /** false while `listpack`; true once `quicklist` */
  quicklist = false;
  /** the listpack's size in bytes, tracked while `listpack` */
  listpackBytes = LISTPACK_OVERHEAD;
  /**
   * The packed string this list was unpacked from (packed-list.ts; header included) while the
   * list is held that way (only pushed, popped or ranged since), else null: the ring buffer
   * holds the elements. Its entries in [lpStart, lpEnd) are still elements; pops move the ends
   * inward, and pushes go to `headAdds` (head last) and `tailAdds` (tail last).
   */
  private lp: string | null = null;
  private lpStart = 0;
  private lpEnd = 0;
  private headAdds: string[] | null = null;
  private tailAdds: string[] | null = null;
  /** the ring's elements may be slices of a packed string (copied when the list turns quicklist) */
  private sliced = false;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.items = new Array(cap);
    this.mask = cap - 1;
  }

  static from(elements: readonly string[]): ListValue {
    const list = new ListValue(elements.length);
    for (const e of elements) list.pushTail(e);
    return list;
  }

  /**
   * Before adding elements of `addBytes` total length, `addCount` of them: becomes `quicklist`
   * when the listpack would then exceed one node under `fill` (Redis's listTypeTryConvertListpack,
   * which sums the raw lengths of the new elements).
   */
  growing(fill: number, addBytes: number, addCount: number): void {
    if (!this.quicklist && exceedsListpackNode(fill, this.listpackBytes + addBytes, this.length + addCount)) {
      this.quicklist = true;
      // a large list lives on as an object: its elements get strings of their own
      if (this.lp !== null) this.unpackEntries(true);
      else if (this.sliced) for (let i = 0; i < this.length; i++) this.items[(this.head + i) & this.mask] = flatString(this.at(i));
      this.sliced = false;
    }
  }

  /** Moves the packed entries into the ring buffer (`copy`: as strings of their own). */
  private unpackEntries(copy: boolean): void {
    const lp = this.lp!;
    const elements: string[] = [];
    const head = this.headAdds;
    if (head !== null) for (let i = head.length - 1; i >= 0; i--) elements.push(copy ? flatString(head[i]!) : head[i]!);
    decodeListEntries(lp, this.lpStart, this.lpEnd, copy, elements);
    const tail = this.tailAdds;
    if (tail !== null) for (const e of tail) elements.push(copy ? flatString(e) : e);
    this.lp = null;
    this.headAdds = null;
    this.tailAdds = null;
    let cap = MIN_CAPACITY;
    while (cap < elements.length) cap *= 2;
    // the ring is the decoded array itself (length, payload and listpackBytes are unchanged)
    elements.length = cap;
    this.items = elements;
    this.mask = cap - 1;
    this.head = 0;
    this.sliced = !copy;
  }

  /** The list whose packed form (`packed()`) is `bytes`: reads its header only. */
  static fromPacked(bytes: string): ListValue {
    const list = new ListValue(0);
    list.listpackBytes = readU32(bytes, 0);
    list.length = readU32(bytes, 4);
    list.payload = readU32(bytes, 8);
    list.lp = bytes;
    list.lpStart = LIST_HEADER;
    list.lpEnd = bytes.length;
    return list;
  }

  /** The packed form (packed-list.ts); null once quicklist. */
  packed(): string | null {
    if (this.quicklist) return null;
    const header = listHeader(this.listpackBytes, this.length, this.payload);
    if (this.lp !== null) {
      const head = this.headAdds;
      const tail = this.tailAdds;
      return flatString(
        header,
        head === null ? '' : encodeListEntries(head, 0, head.length, true),
        this.lp.slice(this.lpStart, this.lpEnd),
        tail === null ? '' : encodeListEntries(tail, 0, tail.length, false),
      );
    }
    const parts = new Array<string>(this.length + 1);
    parts[0] = header;
    for (let i = 0; i < this.length; i++) parts[i + 1] = encodeListEntry(this.at(i));
    return flatString(...parts);
  }

  /**
   * The packed form as an edit of `stored`, the packed string its record holds, into `edit`:
   * the new bytes are `edit.head`, then stored's bytes [edit.from, edit.to), then `edit.tail`.
   * False when the list was not unpacked from `stored` or no longer keeps its entries so
   * (then `packed()` gives the whole form), or is quicklist.
   */
  packedEdit(stored: string, edit: PackedEdit): boolean {
    if (this.quicklist || this.lp === null || this.lp !== stored) return false;
    const head = this.headAdds;
    const tail = this.tailAdds;
    const header = listHeader(this.listpackBytes, this.length, this.payload);
    edit.head = head === null ? header : header + encodeListEntries(head, 0, head.length, true);
    edit.from = this.lpStart;
    edit.to = this.lpEnd;
    edit.tail = tail === null ? '' : encodeListEntries(tail, 0, tail.length, false);
    return true;
  }

  private added(s: string): void {
    this.length++;
    this.payload += s.length;
    if (!this.quicklist) this.listpackBytes += listpackEntrySize(s);
  }

  private removed(s: string): void {
    this.length--;
    this.payload -= s.length;
    if (!this.quicklist) this.listpackBytes -= listpackEntrySize(s);
  }

  private grow(): void {
    const old = this.items;
    const cap = old.length;
    const next = new Array<string | undefined>(cap * 2);
    for (let i = 0; i < this.length; i++) next[i] = old[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.mask = cap * 2 - 1;
  }

  private shrinkIfSparse(): void {
    const cap = this.items.length;
    if (cap <= MIN_CAPACITY * 4 || this.length > cap >> 2) return;
    const next = new Array<string | undefined>(cap >> 1);
    for (let i = 0; i < this.length; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.head = 0;
    this.mask = (cap >> 1) - 1;
  }

  pushHead(s: string): void {
    if (this.lp !== null) {
      (this.headAdds ??= []).push(s);
      this.added(s);
      return;
    }
    if (this.length === this.items.length) this.grow();
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = s;
    this.added(s);
  }

  pushTail(s: string): void {
    if (this.lp !== null) {
      (this.tailAdds ??= []).push(s);
      this.added(s);
      return;
    }
    if (this.length === this.items.length) this.grow();
    this.items[(this.head + this.length) & this.mask] = s;
    this.added(s);
  }

  /** Removes and returns the first element (undefined when empty). */
  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    const lp = this.lp;
    if (lp !== null) {
      const head = this.headAdds;
      if (head !== null && head.length !== 0) {
        const s = head.pop()!;
        this.removed(s);
        return s;
      }
      if (this.lpStart < this.lpEnd) {
        this.lpStart = listEntryForward(lp, this.lpStart);
        // a string of its own: a popped element may be stored elsewhere (LMOVE), where a slice
        // would keep this whole packed string alive
        const s = flatString(lp.slice(dataStart, dataEnd));
        this.removed(s);
        return s;
      }
      this.unpackEntries(false); // only elements pushed at the tail in this command are left
    }
    const s = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.removed(s);
    this.shrinkIfSparse();
    return this.sliced ? flatString(s) : s;
  }

  /** Removes and returns the last element (undefined when empty). */
  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    const lp = this.lp;
    if (lp !== null) {
      const tail = this.tailAdds;
      if (tail !== null && tail.length !== 0) {
        const s = tail.pop()!;
        this.removed(s);
        return s;
      }
      if (this.lpStart < this.lpEnd) {
        this.lpEnd = listEntryBackward(lp, this.lpEnd);
        const s = flatString(lp.slice(dataStart, dataEnd)); // its own string, as popHead's
        this.removed(s);
        return s;
      }
      this.unpackEntries(false); // only elements pushed at the head in this command are left
    }
    const at = (this.head + this.length - 1) & this.mask;
    const s = this.items[at]!;
    this.items[at] = undefined;
    this.removed(s);
    this.shrinkIfSparse();
    return this.sliced ? flatString(s) : s;
  }

  /** The element at `index` (0-based from the head, 0 ≤ index < length). */
  at(index: number): string {
    if (this.lp !== null) this.unpackEntries(false);
    return this.items[(this.head + index) & this.mask]!;
  }

  /** Replaces the element at `index` (0 ≤ index < length). */
  set(index: number, s: string): void {
    if (this.lp !== null) this.unpackEntries(false);
    const at = (this.head + index) & this.mask;
    const old = this.items[at]!;
    this.items[at] = s;
    this.removed(old);
    this.added(s);
  }

  /** Inserts `s` so that it becomes the element at `index` (0 ≤ index ≤ length). */
  insertAt(index: number, s: string): void {
    if (this.lp !== null) this.unpackEntries(false);
    if (this.length === this.items.length) this.grow();
    const items = this.items;
    const mask = this.mask;
    if (index < this.length >> 1) {
      // move the elements before `index` one place towards the head
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < index; i++) items[(this.head + i) & mask] = items[(this.head + i + 1) & mask];
    } else {
      for (let i = this.length; i > index; i--) items[(this.head + i) & mask] = items[(this.head + i - 1) & mask];
    }
    items[(this.head + index) & mask] = s;
    this.added(s);
  }

  /** The elements from `start` to `end` inclusive (0 ≤ start ≤ end < length). */
  slice(start: number, end: number): string[] {
    const out = new Array<string>(end - start + 1);
    const lp = this.lp;
    if (lp !== null && this.headAdds === null && this.tailAdds === null) {
      let at = this.lpStart;
      for (let i = 0; i < start; i++) at = listEntryForward(lp, at);
      for (let i = start; i <= end; i++) {
        at = listEntryForward(lp, at);
        out[i - start] = lp.slice(dataStart, dataEnd);
      }
      return out;
    }
    if (lp !== null) this.unpackEntries(false);
    for (let i = start; i <= end; i++) out[i - start] = this.items[(this.head + i) & this.mask]!;
    return out;
  }

  /** Every element, head first. */
  toArray(): string[] {
    return this.length === 0 ? [] : this.slice(0, this.length - 1);
  }

  /**
   * Removes up to `limit` elements equal to `value` (0: all), scanning from the head, or from the
   * tail when `fromTail`. Returns how many were removed (LREM).
   */
  remove(value: string, limit: number, fromTail: boolean): number {
    if (this.lp !== null) this.unpackEntries(false);
    const n = this.length;
    const keep: string[] = [];
    let removed = 0;
    if (!fromTail) {
      for (let i = 0; i < n; i++) {
        const e = this.at(i);
        if (e === value && (limit === 0 || removed < limit)) removed++;
        else keep.push(e);
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        const e = this.at(i);
        if (e === value && (limit === 0 || removed < limit)) removed++;
        else keep.push(e);
      }
      keep.reverse();
    }
    if (removed !== 0) this.replaceAll(keep);
    return removed;
  }

  /** Keeps the elements from `start` to `end` inclusive only (0 ≤ start, end < length; start > end empties). */
  trim(start: number, end: number): void {
    if (this.lp !== null) this.unpackEntries(false);
    const dropTail = start > end ? this.length : this.length - 1 - end;
    const dropHead = start > end ? 0 : start;
    for (let i = 0; i < dropTail; i++) this.popTail();
    for (let i = 0; i < dropHead; i++) this.popHead();
  }

  private replaceAll(elements: string[]): void {
    let cap = MIN_CAPACITY;
    while (cap < elements.length) cap *= 2;
    this.items = new Array(cap);
    this.mask = cap - 1;
    this.head = 0;
    this.length = 0;
    this.payload = 0;
    this.listpackBytes = LISTPACK_OVERHEAD;
    for (const e of elements) this.pushTail(e);
  }
}

/** Bytes a list costs in memory accounting: the object, its slots and its strings. */
function listSize(v: ListValue): number {
  return 64 + v.length * 24 + v.payload;
}

export const LIST: ValueKind<ListValue> = {
  name: 'list',
  encoding: (v) => (v.quicklist ? 'quicklist' : 'listpack'),
  size: listSize,
  copy(v) {
    const c = ListValue.from(v.toArray());
    c.quicklist = v.quicklist;
    return c;
  },
  packing: {
    id: 4,
    pack: (v) => v.packed(),
    unpack: (bytes) => ListValue.fromPacked(bytes),
    packEdit: (v, stored, edit) => v.packedEdit(stored, edit),
  },
};
registerPacking(LIST);
