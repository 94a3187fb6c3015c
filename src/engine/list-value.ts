/*
 * The list value (TYPE `list`): a deque of byte strings held as Redis holds a quicklist, nodes of
 * packed entries (list-nodes.ts), so pushes and pops at either end are O(1) amortised, index
 * access walks the nodes (O(n / node)), and insertion and removal inside the list edit one node
 * (O(node)) or, for LREM, compact every node in place.
 *
 * Two forms, as Redis 7.2 holds a list (OBJECT ENCODING answers `quicklist` for both, as Redis
 * 7.0.15 does for every list): `listpack` while what it holds would fit one listpack node under
 * `list-max-listpack-size`, and `quicklist` from the first push that would not (Redis's
 * quicklistNodeExceedsLimit: a negative setting is a byte limit of 4, 8, 16, 32 or 64 KB; a
 * positive one an entry count, with an 8 KB safety limit). The listpack's byte size is tracked as
 * Redis lays it out (entry header, integer or string payload, back-length) while the list is
 * small; once `quicklist`, it stays so (see docs/compatibility.md).
 *
 * A `listpack` list is stored packed in its record (packed-collections.ts, the form in
 * packed-list.ts): a header with its listpack size, length and payload, then its elements as
 * entries that can be walked from either end. Unpacking reads the header only; the list keeps
 * the packed string as it is (`lp`) while a command only pushes or pops at the ends, reads a
 * range or the length: a pop moves a window's end over one entry, a push goes to a small array
 * at its end, and settle writes back only the header and the pushed entries (`packedEdit`), so
 * each is O(1) in the list's size. The other operations (index access, LSET, LINSERT, LREM,
 * LTRIM) copy the entries into nodes first (the same entry form: one copy of the bytes), and
 * settle then packs the whole list from them.
 */
import { parseInt64 } from './int64.js';
import { registerPacking } from './packed-collections.js';
import { flatString } from './packed-entries.js';
import { ListNodes, type ElementSink } from './list-nodes.js';
import { dataEnd, dataStart, encodeListEntries, LIST_HEADER, listEntryBackward, listEntryForward, listHeader, readU32 } from './packed-list.js';
import type { Collection, PackedEdit, ValueKind } from './values.js';

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

  length = 0;
  /** the sum of the elements' lengths (memory accounting) */
  payload = 0;
  /** false while `listpack`; true once `quicklist` (toQuicklist) */
  private large = false;
  /** the listpack's size in bytes, tracked while `listpack` */
  listpackBytes = LISTPACK_OVERHEAD;
  /**
   * The packed string this list was unpacked from (packed-list.ts; header included) while the
   * list is held that way (only pushed, popped or ranged since), else null: `nodes` holds the
   * elements. Its entries in [lpStart, lpEnd) are still elements; pops move the ends inward, and
   * pushes go to `headAdds` (head last) and `tailAdds` (tail last). A new list starts so, with
   * no entries (''): a small one is packed at settle without ever having nodes. Never while
   * quicklist.
   */
  private lp: string | null = '';
  private lpStart = 0;
  private lpEnd = 0;
  private headAdds: string[] | null = null;
  private tailAdds: string[] | null = null;
  /** the last entry `at` read from `lp` (-1: none), its header at `lpCurAt`; pops drop it */
  private lpCur = -1;
  private lpCurAt = 0;
  /** the elements while not held as `lp` (list-nodes.ts); null while `lp` holds them */
  private nodes: ListNodes | null = null;

  static from(elements: readonly string[]): ListValue {
    const list = new ListValue();
    for (const e of elements) list.pushTail(e);
    return list;
  }

  /**
   * Before adding elements of `addBytes` total length, `addCount` of them: becomes `quicklist`
   * when the listpack would then exceed one node under `fill` (Redis's listTypeTryConvertListpack,
   * which sums the raw lengths of the new elements).
   */
  growing(fill: number, addBytes: number, addCount: number): void {
    if (!this.large && exceedsListpackNode(fill, this.listpackBytes + addBytes, this.length + addCount)) this.toQuicklist();
  }

  get quicklist(): boolean {
    return this.large;
  }

  /** Becomes `quicklist` for good: a large list lives on as an object, its elements in nodes. */
  toQuicklist(): void {
    this.large = true;
    this.unpacked();
  }

  /** The elements as nodes: moves the packed entries there first. */
  private unpacked(): ListNodes {
    if (this.nodes !== null) return this.nodes;
    const nodes = new ListNodes();
    const lp = this.lp;
    if (lp !== null) {
      nodes.appendPacked(lp, this.lpStart, this.lpEnd);
      const head = this.headAdds;
      if (head !== null) for (const e of head) nodes.pushHead(e);
      const tail = this.tailAdds;
      if (tail !== null) for (const e of tail) nodes.pushTail(e);
      this.lp = null;
      this.headAdds = null;
      this.tailAdds = null;
    }
    this.nodes = nodes;
    return nodes;
  }

  /** The list whose packed form (`packed()`) is `bytes`: reads its header only. */
  static fromPacked(bytes: string): ListValue {
    const list = new ListValue();
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
    if (this.large) return null;
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
    return this.nodes === null ? header : this.nodes.packed(header);
  }

  /**
   * The packed form as an edit of `stored`, the packed string its record holds, into `edit`:
   * the new bytes are `edit.head`, then stored's bytes [edit.from, edit.to), then `edit.tail`.
   * False when the list was not unpacked from `stored` or no longer keeps its entries so
   * (then `packed()` gives the whole form), or is quicklist.
   */
  packedEdit(stored: string, edit: PackedEdit): boolean {
    if (this.lp === null || this.lp !== stored) return false;
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
    if (!this.large) this.listpackBytes += listpackEntrySize(s);
  }

  private removed(s: string): void {
    this.length--;
    this.payload -= s.length;
    if (!this.large) this.listpackBytes -= listpackEntrySize(s);
  }

  pushHead(s: string): void {
    if (this.lp !== null) (this.headAdds ??= []).push(s);
    else this.nodes!.pushHead(s);
    this.added(s);
  }

  pushTail(s: string): void {
    if (this.lp !== null) (this.tailAdds ??= []).push(s);
    else this.nodes!.pushTail(s);
    this.added(s);
  }

  /** Removes and returns the first element (undefined when empty). */
  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    let s: string;
    const lp = this.lp;
    const head = this.headAdds;
    if (lp === null) s = this.nodes!.popHead()!;
    else if (head !== null && head.length !== 0) s = head.pop()!;
    else if (this.lpStart < this.lpEnd) {
      this.lpCur = -1;
      this.lpStart = listEntryForward(lp, this.lpStart);
      // a string of its own: a popped element may be stored elsewhere (LMOVE), where a slice
      // would keep this whole packed string alive
      s = flatString(lp.slice(dataStart, dataEnd));
    } else s = this.unpacked().popHead()!; // only elements pushed at the tail in this command are left
    this.removed(s);
    return s;
  }

  /** Removes and returns the last element (undefined when empty). */
  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    let s: string;
    const lp = this.lp;
    const tail = this.tailAdds;
    if (lp === null) s = this.nodes!.popTail()!;
    else if (tail !== null && tail.length !== 0) s = tail.pop()!;
    else if (this.lpStart < this.lpEnd) {
      this.lpCur = -1;
      this.lpEnd = listEntryBackward(lp, this.lpEnd);
      s = flatString(lp.slice(dataStart, dataEnd)); // its own string, as popHead's
    } else s = this.unpacked().popTail()!; // only elements pushed at the head in this command are left
    this.removed(s);
    return s;
  }

  /** The element at `index` (0-based from the head, 0 ≤ index < length). */
  at(index: number): string {
    const lp = this.lp;
    if (lp === null || this.headAdds !== null || this.tailAdds !== null) return this.unpacked().at(index);
    // read from the packed entries, walking from the last one read or the nearer end
    const n = this.length;
    let i = this.lpCur;
    let at = this.lpCurAt;
    if (i < 0 || Math.abs(index - i) > Math.min(index, n - index)) {
      i = index <= n - index ? 0 : n;
      at = i === 0 ? this.lpStart : this.lpEnd;
    }
    for (; i < index; i++) at = listEntryForward(lp, at);
    for (; i > index; i--) at = listEntryBackward(lp, at);
    this.lpCur = i;
    this.lpCurAt = at;
    listEntryForward(lp, at);
    return lp.slice(dataStart, dataEnd);
  }

  /** Writes the elements from `from` to `to` inclusive to `out` (LRANGE): a large list's straight from its nodes' bytes. */
  writeRange(from: number, to: number, out: ElementSink): void {
    if (this.lp === null || this.headAdds !== null || this.tailAdds !== null) return this.unpacked().writeRange(from, to, out);
    for (let i = from; i <= to; i++) out.bulk(this.at(i));
  }

  /** Replaces the element at `index` (0 ≤ index < length). */
  set(index: number, s: string): void {
    const old = this.unpacked().set(index, s);
    this.removed(old);
    this.added(s);
  }

  /** Inserts `s` so that it becomes the element at `index` (0 ≤ index ≤ length). */
  insertAt(index: number, s: string): void {
    this.unpacked().insertAt(index, s);
    this.added(s);
  }

  /** The elements from `start` to `end` inclusive (0 ≤ start ≤ end < length). */
  slice(start: number, end: number): string[] {
    const lp = this.lp;
    if (lp !== null && this.headAdds === null && this.tailAdds === null) {
      const out = new Array<string>(end - start + 1);
      let at = this.lpStart;
      for (let i = 0; i < start; i++) at = listEntryForward(lp, at);
      for (let i = start; i <= end; i++) {
        at = listEntryForward(lp, at);
        out[i - start] = lp.slice(dataStart, dataEnd);
      }
      return out;
    }
    return this.unpacked().slice(start, end);
  }

  /** Every element, head first. */
  toArray(): string[] {
    return this.length === 0 ? [] : this.slice(0, this.length - 1);
  }

  /** Calls `fn` with every element, head first (without an array of them all). */
  forEach(fn: (element: string) => void): void {
    const lp = this.lp;
    if (lp === null) {
      this.nodes!.forEach(fn);
      return;
    }
    const head = this.headAdds;
    if (head !== null) for (let i = head.length - 1; i >= 0; i--) fn(head[i]!);
    for (let at = this.lpStart; at < this.lpEnd; ) {
      at = listEntryForward(lp, at);
      fn(lp.slice(dataStart, dataEnd));
    }
    const tail = this.tailAdds;
    if (tail !== null) for (const e of tail) fn(e);
  }

  /**
   * Removes up to `limit` elements equal to `value` (0: all), scanning from the head, or from the
   * tail when `fromTail`. Returns how many were removed (LREM).
   */
  remove(value: string, limit: number, fromTail: boolean): number {
    const removed = this.unpacked().remove(value, limit, fromTail);
    this.length -= removed;
    this.payload -= removed * value.length;
    if (!this.large) this.listpackBytes -= removed * listpackEntrySize(value);
    return removed;
  }

  /** Keeps the elements from `start` to `end` inclusive only (0 ≤ start, end < length; start > end empties). */
  trim(start: number, end: number): void {
    const nodes = this.unpacked();
    nodes.trim(start, end);
    this.length = nodes.length;
    this.payload = nodes.payload;
    if (!this.large) {
      // a listpack list is one node's worth: its size is summed again
      let bytes = LISTPACK_OVERHEAD;
      nodes.forEach((e) => (bytes += listpackEntrySize(e)));
      this.listpackBytes = bytes;
    }
  }

  /** Bytes this list costs once quicklist (memory accounting): the object and its nodes. */
  quicklistBytes(): number {
    return 64 + this.nodes!.memoryBytes();
  }

  /** A copy that shares nothing. */
  clone(): ListValue {
    if (this.lp !== null) return ListValue.fromPacked(this.packed()!); // never quicklist
    const c = new ListValue();
    c.lp = null;
    c.large = this.large;
    c.length = this.length;
    c.payload = this.payload;
    c.listpackBytes = this.listpackBytes;
    c.nodes = this.nodes!.clone();
    return c;
  }
}

/**
 * Bytes a list costs in memory accounting. A listpack list: the object, a slot and a string per
 * element, as its size was always counted (it is held packed in its record between commands,
 * which the shard counts by its bytes). A quicklist: the object and its nodes as they are.
 */
function listSize(v: ListValue): number {
  return v.quicklist ? v.quicklistBytes() : 64 + v.length * 24 + v.payload;
}

export const LIST: ValueKind<ListValue> = {
  name: 'list',
  // Redis 7.0 reports every list as a quicklist, small ones (one listpack node) included
  encoding: () => 'quicklist',
  size: listSize,
  copy: (v) => v.clone(),
  packing: {
    id: 4,
    pack: (v) => v.packed(),
    unpack: (bytes) => ListValue.fromPacked(bytes),
    packEdit: (v, stored, edit) => v.packedEdit(stored, edit),
  },
};
registerPacking(LIST);
