/*
 * The elements of an unpacked list (list-value.ts) as Redis's quicklist holds a large list: a
 * deque of nodes, each one byte buffer holding many elements as entries in packed-list.ts's form
 * (a length header, the bytes, the length again as a trailer, so a node is walked from either
 * end). A list of millions of elements is then a few thousand buffers rather than millions of
 * strings: the garbage collector neither copies every pushed element out of the young generation
 * nor marks each one in the old.
 *
 * - Nodes hold up to NODE_BYTES (one longer element gets a node of its own). A node's entries lie
 *   in [start, end) of its buffer, with room left at either end: pushes at the tail write after
 *   `end`, pushes at the head before `start`, and a buffer grows (by size classes, capacityFor)
 *   when the side that grows has no room, so pushes and pops at either end are O(1) amortised.
 * - Each node counts its entries: index access walks nodes from the nearer end, or from the last
 *   position read (the cursor, so scans by ascending or descending index — LRANGE, LPOS, LINSERT,
 *   SORT — take one step per element), then entries inside the node: O(n / node) as in Redis.
 * - Inserting into a full node splits it at that point (the new entry goes to whichever half has
 *   room, else into a node of its own); removals (LREM) compact each node in place, then merge
 *   neighbours that fit in one node and shrink buffers left mostly empty.
 *
 * Elements are byte strings as latin1 strings (one char per byte): an element read is a new
 * string built from its bytes.
 */
import { latin1 } from '../resp/short-strings.js';
import { listEntryForward, dataStart as packedStart, dataEnd as packedEnd } from './packed-list.js';

/** The bytes a node holds at most, unless one element alone is longer. */
export const NODE_BYTES = 8192;
/** A new node's buffer: grown as it fills, up to NODE_BYTES. */
const FIRST_NODE = 128;
/** An entry's length header: one byte below this, else this byte and 4 bytes of length. */
const LONG = 254;
/** Up to this length a string is copied into a node char by char (latin1Write is a C++ call). */
const SHORT_COPY = 32;
/**
 * What a node costs besides its bytes, for memory accounting: the node, Buffer and ArrayBuffer
 * objects (249 bytes of V8 heap, measured over 100,000 nodes) and, outside the heap, the backing
 * store's record and the allocator's headers (RSS grew by 480-660 bytes a node beyond the bytes).
 */
export const NODE_OVERHEAD = 500;

/** Where a range of elements goes (a reply: engine code knows no protocol). */
export interface ElementSink {
  bulk(s: string): void;
  bulkBytes(src: Buffer, start: number, end: number): void;
}

class ListNode {
  constructor(
    public buf: Buffer,
    /** the entries lie in [start, end) */
    public start: number,
    public end: number,
    public count: number,
  ) {}
}

/* Where the last entry walked holds its bytes (module state: no object per step). */
let dStart = 0;
let dEnd = 0;

function entryBytes(n: number): number {
  return n < LONG ? n + 2 : n + 10;
}

function readU32(b: Buffer, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function writeU32(b: Buffer, at: number, n: number): void {
  b[at] = n >>> 24;
  b[at + 1] = (n >>> 16) & 255;
  b[at + 2] = (n >>> 8) & 255;
  b[at + 3] = n & 255;
}

/** Offset just past the entry whose header is at `at`; its bytes into dStart/dEnd. */
function forward(b: Buffer, at: number): number {
  const c = b[at]!;
  if (c < LONG) {
    dStart = at + 1;
    dEnd = dStart + c;
    return dEnd + 1;
  }
  dStart = at + 5;
  dEnd = dStart + readU32(b, at + 1);
  return dEnd + 5;
}

/** Offset of the header of the entry that ends just before `end`; its bytes into dStart/dEnd. */
function backward(b: Buffer, end: number): number {
  const c = b[end - 1]!;
  if (c < LONG) {
    dEnd = end - 1;
    dStart = dEnd - c;
    return dStart - 1;
  }
  dEnd = end - 5;
  dStart = dEnd - readU32(b, end - 5);
  return dStart - 5;
}

/** Writes the entry for `s` at `at`; returns the offset just past it. */
function writeEntry(b: Buffer, at: number, s: string): number {
  const n = s.length;
  if (n < LONG) b[at++] = n;
  else {
    b[at] = LONG;
    writeU32(b, at + 1, n);
    at += 5;
  }
  if (n <= SHORT_COPY) for (let i = 0; i < n; i++) b[at + i] = s.charCodeAt(i);
  else b.latin1Write(s, at, n);
  at += n;
  if (n < LONG) b[at++] = n;
  else {
    writeU32(b, at, n);
    b[at + 4] = LONG;
    at += 5;
  }
  return at;
}

/** Whether the bytes [start, end) of `b` are `s`. */
function bytesEqual(b: Buffer, start: number, end: number, s: string): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[start + i] !== s.charCodeAt(i)) return false;
  return true;
}

/**
 * The buffer size for `n` bytes: four sizes per power of two from FIRST_NODE (as jemalloc's size
 * classes), so a node that fills grows by an eighth to a quarter at a time and leaves at most a
 * fifth of its buffer unused; exactly `n` past NODE_BYTES.
 */
function capacityFor(n: number): number {
  if (n > NODE_BYTES) return n;
  if (n <= FIRST_NODE) return FIRST_NODE;
  const step = (1 << (31 - Math.clz32(n - 1))) >> 2;
  return Math.ceil(n / step) * step;
}

/** A buffer of its own (Buffer.allocUnsafe would carve small ones out of a shared pool). */
function allocate(n: number): Buffer {
  return Buffer.allocUnsafeSlow(n);
}

let scratch = Buffer.allocUnsafe(1 << 16);

export class ListNodes {
  length = 0;
  /** the sum of the elements' lengths */
  payload = 0;
  /** the nodes' buffer sizes, summed */
  capacity = 0;
  /** the nodes: a ring whose size is a power of two */
  private ring: Array<ListNode | undefined> = new Array(4);
  private first = 0;
  private mask = 3;
  nodeCount = 0;
  /**
   * The last entry located (index access): node `curK` (-1: none), whose first element is element
   * `curBase`, its entry `curJ` with its header at `curAt`. Every change to the list drops it.
   */
  private curK = -1;
  private curBase = 0;
  private curJ = 0;
  private curAt = 0;
  /** set by findNode: the index of the found node's first element */
  private foundBase = 0;

  private node(k: number): ListNode {
    return this.ring[(this.first + k) & this.mask]!;
  }

  // ---- the ring of nodes ----

  private insertNode(k: number, node: ListNode): void {
    if (this.nodeCount === this.ring.length) this.resizeRing(this.ring.length * 2);
    const ring = this.ring;
    const mask = this.mask;
    if (k < this.nodeCount >> 1) {
      // move the nodes before `k` one place towards the head
      this.first = (this.first - 1) & mask;
      for (let i = 0; i < k; i++) ring[(this.first + i) & mask] = ring[(this.first + i + 1) & mask];
    } else {
      for (let i = this.nodeCount; i > k; i--) ring[(this.first + i) & mask] = ring[(this.first + i - 1) & mask];
    }
    ring[(this.first + k) & mask] = node;
    this.nodeCount++;
    this.capacity += node.buf.length;
  }

  private removeNode(k: number): void {
    const ring = this.ring;
    const mask = this.mask;
    this.capacity -= ring[(this.first + k) & mask]!.buf.length;
    if (k < this.nodeCount >> 1) {
      for (let i = k; i > 0; i--) ring[(this.first + i) & mask] = ring[(this.first + i - 1) & mask];
      ring[this.first] = undefined;
      this.first = (this.first + 1) & mask;
    } else {
      for (let i = k; i < this.nodeCount - 1; i++) ring[(this.first + i) & mask] = ring[(this.first + i + 1) & mask];
      ring[(this.first + this.nodeCount - 1) & mask] = undefined;
    }
    this.nodeCount--;
    const size = ring.length;
    if (size > 16 && this.nodeCount <= size >> 2) this.resizeRing(size >> 1);
  }

  private resizeRing(size: number): void {
    const next = new Array<ListNode | undefined>(size);
    for (let i = 0; i < this.nodeCount; i++) next[i] = this.node(i);
    this.ring = next;
    this.first = 0;
    this.mask = size - 1;
  }

  /** A new empty node with room for an entry of `e` bytes (at the end of its buffer when `atHead`). */
  private newNode(e: number, atHead: boolean): ListNode {
    const cap = capacityFor(e);
    const at = atHead ? cap : 0;
    return new ListNode(allocate(cap), at, at, 0);
  }

  /**
   * Gives `node` room for `e` more bytes next to its entries at the head (`atHead`) or the tail:
   * moves the entries within the buffer when it has the room elsewhere, else moves them to a
   * buffer sized for the lot, to that buffer's other end.
   */
  private makeRoom(node: ListNode, e: number, atHead: boolean): void {
    const used = node.end - node.start;
    const old = node.buf;
    const cap = used + e <= old.length ? old.length : capacityFor(used + e);
    const buf = cap === old.length ? old : allocate(cap);
    const to = atHead ? cap - used : 0;
    if (buf === old) buf.copyWithin(to, node.start, node.end);
    else {
      old.copy(buf, to, node.start, node.end);
      node.buf = buf;
      this.capacity += cap - old.length;
    }
    node.start = to;
    node.end = to + used;
  }

  /** Halves a buffer left three-quarters empty, keeping the free room on the side it was on. */
  private shrinkIfSparse(node: ListNode): void {
    const old = node.buf;
    const used = node.end - node.start;
    if (old.length <= FIRST_NODE || used * 4 > old.length) return;
    const cap = capacityFor(Math.max(used * 2, FIRST_NODE));
    if (cap >= old.length) return;
    const buf = allocate(cap);
    const to = node.start > old.length - node.end ? cap - used : 0;
    old.copy(buf, to, node.start, node.end);
    node.buf = buf;
    node.start = to;
    node.end = to + used;
    this.capacity += cap - old.length;
  }

  // ---- the ends ----

  pushTail(s: string): void {
    const e = entryBytes(s.length);
    let node = this.nodeCount === 0 ? undefined : this.node(this.nodeCount - 1);
    if (node === undefined || node.buf.length - node.end < e) {
      if (node === undefined || node.end - node.start + e > NODE_BYTES) {
        node = this.newNode(e, false);
        this.insertNode(this.nodeCount, node);
      } else this.makeRoom(node, e, false);
    }
    node.end = writeEntry(node.buf, node.end, s);
    node.count++;
    this.length++;
    this.payload += s.length;
    this.curK = -1;
  }

  pushHead(s: string): void {
    const e = entryBytes(s.length);
    let node = this.nodeCount === 0 ? undefined : this.node(0);
    if (node === undefined || node.start < e) {
      if (node === undefined || node.end - node.start + e > NODE_BYTES) {
        node = this.newNode(e, true);
        this.insertNode(0, node);
      } else this.makeRoom(node, e, true);
    }
    node.start -= e;
    writeEntry(node.buf, node.start, s);
    node.count++;
    this.length++;
    this.payload += s.length;
    this.curK = -1;
  }

  /** Removes and returns the first element (undefined when empty). */
  popHead(): string | undefined {
    if (this.length === 0) return undefined;
    const node = this.node(0);
    node.start = forward(node.buf, node.start);
    return this.popped(node, 0, latin1(node.buf, dStart, dEnd));
  }

  /** Removes and returns the last element (undefined when empty). */
  popTail(): string | undefined {
    if (this.length === 0) return undefined;
    const k = this.nodeCount - 1;
    const node = this.node(k);
    node.end = backward(node.buf, node.end);
    return this.popped(node, k, latin1(node.buf, dStart, dEnd));
  }

  private popped(node: ListNode, k: number, s: string): string {
    node.count--;
    this.length--;
    this.payload -= s.length;
    this.curK = -1;
    if (node.count === 0) this.removeNode(k);
    else this.shrinkIfSparse(node);
    return s;
  }

  // ---- by index ----

  /** The node holding element `i` (0 ≤ i < length); its first element's index into foundBase. */
  private findNode(i: number): number {
    const n = this.length;
    let k: number;
    let base: number;
    if (this.curK >= 0 && Math.abs(i - this.curBase) < Math.min(i, n - 1 - i)) {
      k = this.curK;
      base = this.curBase;
    } else if (i <= n - 1 - i) {
      k = 0;
      base = 0;
    } else {
      k = this.nodeCount - 1;
      base = n - this.node(k).count;
    }
    while (i < base) base -= this.node(--k).count;
    for (let c = this.node(k).count; i >= base + c; c = this.node(k).count) {
      base += c;
      k++;
    }
    this.foundBase = base;
    return k;
  }

  /** The offset of entry `j` of node `k`'s header, walked from the nearest known place; becomes the cursor. */
  private entryOffset(k: number, base: number, j: number): number {
    const node = this.node(k);
    const b = node.buf;
    const back = node.count - j; // steps backward from the node's end
    const nearest = j < back ? j : back;
    let at: number;
    if (this.curK === k && Math.abs(j - this.curJ) < nearest) {
      at = this.curAt;
      for (let s = this.curJ; s < j; s++) at = forward(b, at);
      for (let s = this.curJ; s > j; s--) at = backward(b, at);
    } else if (j <= back) {
      at = node.start;
      for (let s = 0; s < j; s++) at = forward(b, at);
    } else {
      at = node.end;
      for (let s = 0; s < back; s++) at = backward(b, at);
    }
    this.curK = k;
    this.curBase = base;
    this.curJ = j;
    this.curAt = at;
    return at;
  }

  /** The element at `i` (0 ≤ i < length). */
  at(i: number): string {
    if (this.curK >= 0) {
      // the one after or before the cursor, in its node (a scan either way): one step
      const node = this.node(this.curK);
      const b = node.buf;
      const j = i - this.curBase;
      if (j === this.curJ + 1 && j < node.count) {
        this.curJ = j;
        this.curAt = forward(b, this.curAt);
        forward(b, this.curAt);
        return latin1(b, dStart, dEnd);
      }
      if (j === this.curJ - 1 && j >= 0) {
        this.curJ = j;
        this.curAt = backward(b, this.curAt);
        return latin1(b, dStart, dEnd);
      }
    }
    const k = this.findNode(i);
    const base = this.foundBase;
    const at = this.entryOffset(k, base, i - base);
    const b = this.node(k).buf;
    forward(b, at);
    return latin1(b, dStart, dEnd);
  }

  /** The elements from `start` to `end` inclusive (0 ≤ start ≤ end < length). */
  slice(start: number, end: number): string[] {
    const out = new Array<string>(end - start + 1);
    let k = this.findNode(start);
    const base = this.foundBase;
    let at = this.entryOffset(k, base, start - base);
    let node = this.node(k);
    for (let x = 0; x < out.length; x++) {
      if (at >= node.end) {
        node = this.node(++k);
        at = node.start;
      }
      at = forward(node.buf, at);
      out[x] = latin1(node.buf, dStart, dEnd);
    }
    return out;
  }

  /** Hands the elements from `start` to `end` inclusive (0 ≤ start ≤ end < length) to `out` as bytes of their nodes: no string per element. */
  writeRange(start: number, end: number, out: ElementSink): void {
    let k = this.findNode(start);
    const base = this.foundBase;
    let at = this.entryOffset(k, base, start - base);
    let node = this.node(k);
    for (let x = start; x <= end; x++) {
      if (at >= node.end) {
        node = this.node(++k);
        at = node.start;
      }
      at = forward(node.buf, at);
      out.bulkBytes(node.buf, dStart, dEnd);
    }
  }

  /** Calls `fn` with every element, head first. */
  forEach(fn: (element: string) => void): void {
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.node(k);
      for (let at = node.start; at < node.end; ) {
        at = forward(node.buf, at);
        fn(latin1(node.buf, dStart, dEnd));
      }
    }
  }

  /** Replaces the element at `i` (0 ≤ i < length); returns the element it replaced. */
  set(i: number, s: string): string {
    const k = this.findNode(i);
    const base = this.foundBase;
    const j = i - base;
    const at = this.entryOffset(k, base, j);
    const node = this.node(k);
    const next = forward(node.buf, at);
    const old = latin1(node.buf, dStart, dEnd);
    if (next - at === entryBytes(s.length)) writeEntry(node.buf, at, s);
    else this.splice(k, j, at, next - at, 1, s);
    this.payload += s.length - old.length;
    this.curK = -1;
    return old;
  }

  /** Inserts `s` so that it becomes the element at `i` (0 ≤ i ≤ length). */
  insertAt(i: number, s: string): void {
    if (i === this.length) return this.pushTail(s);
    if (i === 0) return this.pushHead(s);
    const k = this.findNode(i);
    const base = this.foundBase;
    const j = i - base;
    const e = entryBytes(s.length);
    if (j === 0) {
      // between two nodes: at the end of the one before when it has room (as Redis's _quicklistInsert)
      const prev = this.node(k - 1);
      if (prev.end - prev.start + e <= NODE_BYTES) {
        if (prev.buf.length - prev.end < e) this.makeRoom(prev, e, false);
        prev.end = writeEntry(prev.buf, prev.end, s);
        prev.count++;
        this.inserted(s);
        return;
      }
    }
    this.splice(k, j, this.entryOffset(k, base, j), 0, 0, s);
    this.inserted(s);
  }

  private inserted(s: string): void {
    this.length++;
    this.payload += s.length;
    this.curK = -1;
  }

  /**
   * Replaces the `removedBytes` bytes at `at` in node `k` (entry `j`'s header; `removedCount`
   * entries, 0 or 1) with the entry for `s`: in place while the node stays within NODE_BYTES
   * (or holds nothing else), else by splitting the node there.
   */
  private splice(k: number, j: number, at: number, removedBytes: number, removedCount: number, s: string): void {
    const node = this.node(k);
    const e = entryBytes(s.length);
    const used = node.end - node.start;
    const size = used - removedBytes + e;
    let rest = at + removedBytes;
    if (size <= NODE_BYTES || node.count === removedCount) {
      if (node.start + size > node.buf.length && size <= node.buf.length) {
        // the room is before the entries: move them to the buffer's start
        node.buf.copyWithin(0, node.start, node.end);
        at -= node.start;
        rest -= node.start;
        node.end -= node.start;
        node.start = 0;
      }
      if (node.start + size <= node.buf.length) {
        node.buf.copyWithin(at + e, rest, node.end);
        writeEntry(node.buf, at, s);
      } else {
        const old = node.buf;
        const buf = allocate(capacityFor(size));
        old.copy(buf, 0, node.start, at);
        old.copy(buf, at - node.start + e, rest, node.end);
        writeEntry(buf, at - node.start, s);
        this.capacity += buf.length - old.length;
        node.buf = buf;
        node.start = 0;
      }
      node.end = node.start + size;
      node.count += 1 - removedCount;
      return;
    }
    // split: node k keeps the entries before `at`, a new node takes those after it, and the new
    // entry goes to the end of the first, the start of the second, or a node of its own
    const rightCount = node.count - j - removedCount;
    let right: ListNode | null = null;
    if (rightCount > 0) {
      const bytes = node.end - rest;
      const cap = capacityFor(bytes + e <= NODE_BYTES ? bytes + e : bytes);
      right = new ListNode(allocate(cap), cap - bytes, cap, rightCount);
      node.buf.copy(right.buf, right.start, rest, node.end);
    }
    node.end = at;
    node.count = j;
    let next = k + 1;
    if (j === 0) {
      this.removeNode(k);
      next = k;
    } else if (at - node.start + e <= NODE_BYTES) {
      if (node.buf.length - node.end < e) this.makeRoom(node, e, false);
      node.end = writeEntry(node.buf, node.end, s);
      node.count++;
      if (right !== null) this.insertNode(next, right);
      return;
    } else this.shrinkIfSparse(node);
    if (right !== null && right.end - right.start + e <= NODE_BYTES) {
      right.start -= e;
      writeEntry(right.buf, right.start, s);
      right.count++;
    } else {
      const own = this.newNode(e, false);
      own.end = writeEntry(own.buf, 0, s);
      own.count = 1;
      this.insertNode(next++, own);
    }
    if (right !== null) this.insertNode(next, right);
  }

  // ---- bulk changes ----

  /**
   * Removes up to `limit` elements equal to `value` (0: all), scanning from the head, or from the
   * tail when `fromTail`. Returns how many were removed (LREM).
   */
  remove(value: string, limit: number, fromTail: boolean): number {
    let left = limit === 0 ? Infinity : limit;
    let removed = 0;
    for (let x = 0; x < this.nodeCount && left > 0; x++) {
      const node = this.node(fromTail ? this.nodeCount - 1 - x : x);
      const n = fromTail ? compactBackward(node, value, left) : compactForward(node, value, left);
      removed += n;
      left -= n;
    }
    if (removed === 0) return 0;
    this.length -= removed;
    this.payload -= removed * value.length;
    this.curK = -1;
    this.tidy();
    return removed;
  }

  /** Keeps the elements from `start` to `end` inclusive only (0 ≤ start, end < length; start > end empties). */
  trim(start: number, end: number): void {
    this.curK = -1;
    if (start > end) return this.clear();
    let drop = this.length - 1 - end;
    while (drop > 0) {
      const k = this.nodeCount - 1;
      const node = this.node(k);
      const take = Math.min(drop, node.count);
      for (let i = 0; i < take; i++) {
        node.end = backward(node.buf, node.end);
        this.payload -= dEnd - dStart;
      }
      node.count -= take;
      this.length -= take;
      drop -= take;
      if (node.count === 0) this.removeNode(k);
      else this.shrinkIfSparse(node);
    }
    drop = start;
    while (drop > 0) {
      const node = this.node(0);
      const take = Math.min(drop, node.count);
      for (let i = 0; i < take; i++) {
        node.start = forward(node.buf, node.start);
        this.payload -= dEnd - dStart;
      }
      node.count -= take;
      this.length -= take;
      drop -= take;
      if (node.count === 0) this.removeNode(0);
      else this.shrinkIfSparse(node);
    }
  }

  clear(): void {
    this.ring = new Array(4);
    this.first = 0;
    this.mask = 3;
    this.nodeCount = 0;
    this.length = 0;
    this.payload = 0;
    this.capacity = 0;
    this.curK = -1;
  }

  /**
   * After removals inside nodes: drops the empty ones, merges neighbours whose entries fit in one
   * node, and shrinks buffers left mostly empty.
   */
  private tidy(): void {
    for (let k = this.nodeCount - 1; k >= 0; k--) if (this.node(k).count === 0) this.removeNode(k);
    for (let k = 0; k + 1 < this.nodeCount; ) {
      const a = this.node(k);
      const b = this.node(k + 1);
      const bytes = b.end - b.start;
      if (a.end - a.start + bytes > NODE_BYTES) {
        this.shrinkIfSparse(a);
        k++;
        continue;
      }
      if (a.buf.length - a.end < bytes) this.makeRoom(a, bytes, false);
      b.buf.copy(a.buf, a.end, b.start, b.end);
      a.end += bytes;
      a.count += b.count;
      this.removeNode(k + 1);
    }
    if (this.nodeCount > 0) this.shrinkIfSparse(this.node(this.nodeCount - 1));
  }

  /**
   * Appends the entries in [from, to) of `packed` (a string in packed-list.ts's form), cut into
   * nodes of up to NODE_BYTES.
   */
  appendPacked(packed: string, from: number, to: number): void {
    this.curK = -1;
    let cut = from;
    let count = 0;
    for (let at = from; at < to; ) {
      const next = listEntryForward(packed, at);
      if (next - cut > NODE_BYTES && count > 0) {
        this.appendNode(packed, cut, at, count);
        cut = at;
        count = 0;
      }
      count++;
      this.payload += packedEnd - packedStart;
      at = next;
    }
    if (count > 0) this.appendNode(packed, cut, to, count);
  }

  private appendNode(packed: string, from: number, to: number, count: number): void {
    const n = to - from;
    const buf = allocate(capacityFor(n));
    if (n <= SHORT_COPY) for (let i = 0; i < n; i++) buf[i] = packed.charCodeAt(from + i);
    else buf.latin1Write(packed.slice(from, to), 0, n);
    this.insertNode(this.nodeCount, new ListNode(buf, 0, n, count));
    this.length += count;
  }

  /** `prefix`, then every element's entry in packed-list.ts's form, as one flat string. */
  packed(prefix: string): string {
    let n = prefix.length;
    for (let k = 0; k < this.nodeCount; k++) n += this.node(k).end - this.node(k).start;
    if (n > scratch.length) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
    let at = 0;
    for (let i = 0; i < prefix.length; i++) scratch[at++] = prefix.charCodeAt(i);
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.node(k);
      at += node.buf.copy(scratch, at, node.start, node.end);
    }
    return latin1(scratch, 0, n);
  }

  /** A copy that shares nothing, its nodes filled as these are. */
  clone(): ListNodes {
    const c = new ListNodes();
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.node(k);
      const n = node.end - node.start;
      const buf = allocate(capacityFor(n));
      node.buf.copy(buf, 0, node.start, node.end);
      c.insertNode(k, new ListNode(buf, 0, n, node.count));
    }
    c.length = this.length;
    c.payload = this.payload;
    return c;
  }

  /** Bytes the nodes take in memory accounting: their buffers, their objects and the ring. */
  memoryBytes(): number {
    return this.capacity + this.nodeCount * NODE_OVERHEAD + this.ring.length * 8;
  }

  /** Checks the structure's invariants (tests): throws on the first one broken. */
  check(): void {
    let length = 0;
    let payload = 0;
    let capacity = 0;
    for (let k = 0; k < this.nodeCount; k++) {
      const node = this.node(k);
      let count = 0;
      let at = node.start;
      while (at < node.end) {
        at = forward(node.buf, at);
        payload += dEnd - dStart;
        count++;
      }
      if (at !== node.end) throw new Error(`node ${k}: entries overrun its end`);
      if (count !== node.count || count === 0) throw new Error(`node ${k}: ${count} entries, counted ${node.count}`);
      if (node.end - node.start > NODE_BYTES && count > 1) throw new Error(`node ${k}: ${node.end - node.start} bytes`);
      if (node.start < 0 || node.end > node.buf.length) throw new Error(`node ${k}: outside its buffer`);
      length += count;
      capacity += node.buf.length;
    }
    if (length !== this.length || payload !== this.payload || capacity !== this.capacity) {
      throw new Error(`length ${this.length}/${length}, payload ${this.payload}/${payload}, capacity ${this.capacity}/${capacity}`);
    }
  }
}

/** Removes up to `max` entries equal to `value` from `node`, the first ones; returns how many. */
function compactForward(node: ListNode, value: string, max: number): number {
  const b = node.buf;
  let removed = 0;
  let w = node.start;
  for (let r = node.start; r < node.end; ) {
    const next = forward(b, r);
    if (removed < max && bytesEqual(b, dStart, dEnd, value)) removed++;
    else {
      if (w !== r) b.copyWithin(w, r, next);
      w += next - r;
    }
    r = next;
  }
  node.end = w;
  node.count -= removed;
  return removed;
}

/** Removes up to `max` entries equal to `value` from `node`, the last ones; returns how many. */
function compactBackward(node: ListNode, value: string, max: number): number {
  const b = node.buf;
  let removed = 0;
  let w = node.end;
  for (let r = node.end; r > node.start; ) {
    const prev = backward(b, r);
    if (removed < max && bytesEqual(b, dStart, dEnd, value)) removed++;
    else {
      w -= r - prev;
      if (w !== prev) b.copyWithin(w, prev, r);
    }
    r = prev;
  }
  node.start = w;
  node.count -= removed;
  return removed;
}
