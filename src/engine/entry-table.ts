/*
 * The dense table under the large encodings of sets and hashes (`hashtable`), with every entry's
 * bytes off the V8 heap.
 *
 * A set or hash that outgrows its packed form can hold a million members; as JS strings in an
 * array with a Map beside them, every member was a heap object that survived the young
 * generation (each scavenge copied the members added since the last one: 30–80 ms pauses under
 * redis-benchmark's random-member SADD/HSET) and a Map that grew rehashed a million entries at
 * once. Here the garbage collector sees four buffers whatever the size:
 *  - `heap`: the entries' bytes (a key, then its value for a hash), appended; space of removed
 *    or rewritten entries is counted as `dead` and reclaimed by compacting once it is half of
 *    the heap (amortised O(1) per write);
 *  - `meta`: per position 0 … size-1, five words — the key's hash, its offset in `heap`, the key's
 *    length, the value's (0 for a set) and a tag the owner keeps there (a sorted set's node). Positions are dense: an insert appends, a removal moves
 *    the last entry into the hole. That is what SCAN's cursor (collection-scan.ts) and uniform
 *    random picks (SPOP, SRANDMEMBER, HRANDFIELD) rely on, as before;
 *  - `slots`: an open-addressing index (linear probing, at most half full), each slot the pair
 *    (hash, position + 1); the stored hash lets a probe pass other keys without touching their
 *    bytes. Removal shifts the following cluster back (no tombstones). Growing doubles it by one
 *    sequential pass over the old slots (their hashes are stored: no key is read or rehashed).
 * A key or value is a latin1 string on the way in and out (one char per byte).
 */
import { latin1 } from '../resp/short-strings.js';
import { hashKey } from './shard.js';

/** words of `meta` per position */
const STRIDE = 5;
const HASH = 0;
const OFF = 1;
const KEY_LEN = 2;
const VAL_LEN = 3;
/** a word the owner keeps with the entry (a sorted set: the entry's skiplist node) */
const TAG = 4;
/** the smallest index (slots); a table is made when a packed form outgrows ~128 entries */
const MIN_SLOTS = 256;
/** dead heap bytes below this are never worth a compaction */
const MIN_COMPACT = 1 << 16;

/** Up to this length strings are copied and compared in JavaScript (latin1Write is a call into C++). */
const SHORT_COPY = 64;

export class EntryTable {
  private heap: Buffer;
  /** heap bytes in use (live and dead) */
  private used = 0;
  /** bytes of removed or rewritten entries in the heap */
  private dead = 0;
  private meta: Int32Array;
  private slots: Int32Array;
  /** slot count - 1 (a power of two - 1) */
  private mask: number;
  /** entries (positions 0 … size-1) */
  size = 0;
  /** the slot `find` stopped at: the key's slot when found, else the empty slot ending the probe */
  private foundSlot = 0;
  /** the hash of the key `find` looked for */
  private foundHash = 0;

  constructor(expected = 0) {
    let slots = MIN_SLOTS;
    while (slots < expected * 2) slots *= 2;
    this.mask = slots - 1;
    this.slots = new Int32Array(slots * 2);
    this.meta = new Int32Array(Math.max(16, expected) * STRIDE);
    this.heap = Buffer.allocUnsafe(Math.max(1024, expected * 16));
  }

  /** bytes of the live keys and values */
  get liveBytes(): number {
    return this.used - this.dead;
  }

  /**
   * The position of `key`, or -1. Either way `foundSlot` and `foundHash` are left for the
   * write that follows (insert, removal) — valid until the table next changes.
   */
  find(key: string): number {
    const h = hashKey(key) | 0;
    this.foundHash = h;
    const slots = this.slots;
    const mask = this.mask;
    const n = key.length;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const p = slots[2 * i + 1]!;
      if (p === 0) {
        this.foundSlot = i;
        return -1;
      }
      if (slots[2 * i] === h && this.keyIs(p - 1, key, n)) {
        this.foundSlot = i;
        return p - 1;
      }
    }
  }

  /**
   * Whether the key at position `pos` is `key` (of `n` chars). Its stored hash matched, so it
   * nearly always is: past a check of the last byte (numbered members differ at their end), the
   * stored bytes are made a string and compared whole — cheaper than a loop comparing byte by
   * char (~38 instructions a byte: 759 against 667 for 20 bytes, measured alone).
   */
  private keyIs(pos: number, key: string, n: number): boolean {
    const m = this.meta;
    if (m[pos * STRIDE + KEY_LEN] !== n) return false;
    const off = m[pos * STRIDE + OFF]!;
    if (n === 0) return true;
    if (this.heap[off + n - 1] !== key.charCodeAt(n - 1)) return false;
    return latin1(this.heap, off, off + n) === key;
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  keyAt(pos: number): string {
    const m = this.meta;
    const off = m[pos * STRIDE + OFF]!;
    return latin1(this.heap, off, off + m[pos * STRIDE + KEY_LEN]!);
  }

  valueAt(pos: number): string {
    const m = this.meta;
    const off = m[pos * STRIDE + OFF]! + m[pos * STRIDE + KEY_LEN]!;
    return latin1(this.heap, off, off + m[pos * STRIDE + VAL_LEN]!);
  }

  tagAt(pos: number): number {
    return this.meta[pos * STRIDE + TAG]!;
  }

  setTagAt(pos: number, tag: number): void {
    this.meta[pos * STRIDE + TAG] = tag;
  }

  /** The key at `pos` against `key` in byte order (a shorter prefix first): negative, 0 or positive. */
  compareKeyAt(pos: number, key: string): number {
    const m = this.meta;
    const off = m[pos * STRIDE + OFF]!;
    const len = m[pos * STRIDE + KEY_LEN]!;
    const heap = this.heap;
    const n = Math.min(len, key.length);
    for (let i = 0; i < n; i++) {
      const d = heap[off + i]! - key.charCodeAt(i);
      if (d !== 0) return d;
    }
    return len - key.length;
  }

  /** The length of the value at `pos` (HSTRLEN) without building it. */
  valueLengthAt(pos: number): number {
    return this.meta[pos * STRIDE + VAL_LEN]!;
  }

  /** Adds `key` (with `value`) if absent; returns whether it was added. */
  add(key: string, value = ''): boolean {
    if (this.find(key) >= 0) return false;
    this.insertFound(key, value);
    return true;
  }

  /**
   * Appends `key` with `value` at position `size`; `key` must be absent, and `find(key)` the
   * table's last call (its probe's end is where the key goes).
   */
  insertFound(key: string, value: string): void {
    const pos = this.size;
    if ((pos + 1) * 2 > this.mask + 1) {
      this.resize((this.mask + 1) * 2);
      this.foundSlot = this.emptySlotFor(this.foundHash);
    }
    if ((pos + 1) * STRIDE > this.meta.length) {
      const meta = new Int32Array(this.meta.length * 2);
      meta.set(this.meta);
      this.meta = meta;
    }
    const off = this.place(key.length + value.length);
    this.write(off, key);
    this.write(off + key.length, value);
    const m = this.meta;
    const b = pos * STRIDE;
    m[b + HASH] = this.foundHash;
    m[b + OFF] = off;
    m[b + KEY_LEN] = key.length;
    m[b + VAL_LEN] = value.length;
    m[b + TAG] = 0;
    this.slots[2 * this.foundSlot] = this.foundHash;
    this.slots[2 * this.foundSlot + 1] = pos + 1;
    this.size = pos + 1;
  }

  /** Sets the value of the entry at `pos` to `value`. */
  setValueAt(pos: number, value: string): void {
    const m = this.meta;
    const b = pos * STRIDE;
    const keyLen = m[b + KEY_LEN]!;
    const old = m[b + VAL_LEN]!;
    if (value.length <= old) {
      // fits where the old value was
      this.write(m[b + OFF]! + keyLen, value);
      this.dead += old - value.length;
      m[b + VAL_LEN] = value.length;
      return;
    }
    const key = this.keyAt(pos);
    const off = this.place(keyLen + value.length);
    this.write(off, key);
    this.write(off + keyLen, value);
    this.dead += keyLen + old;
    // `place` may have compacted the heap, moving the entry: meta is re-read
    this.meta[b + OFF] = off;
    this.meta[b + VAL_LEN] = value.length;
    this.compactIfWasteful();
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    const pos = this.find(key);
    if (pos < 0) return false;
    this.deleteFound(pos);
    return true;
  }

  /** Removes the entry at `pos`, moving the last entry into its place. */
  deleteAt(pos: number): void {
    this.foundSlot = this.slotOf(pos);
    this.deleteFound(pos);
  }

  /**
   * Removes the entry at `pos`, which `find` has just returned, moving the last entry into its
   * place (that entry's tag moves with it).
   */
  deleteFound(pos: number): void {
    const m = this.meta;
    const b = pos * STRIDE;
    this.dead += m[b + KEY_LEN]! + m[b + VAL_LEN]!;
    this.clearSlot(this.foundSlot);
    const last = this.size - 1;
    if (pos !== last) {
      this.slots[2 * this.slotOf(last) + 1] = pos + 1;
      // word by word: copyWithin is a call into C++
      const l = last * STRIDE;
      m[b + HASH] = m[l + HASH]!;
      m[b + OFF] = m[l + OFF]!;
      m[b + KEY_LEN] = m[l + KEY_LEN]!;
      m[b + VAL_LEN] = m[l + VAL_LEN]!;
      m[b + TAG] = m[l + TAG]!;
    }
    this.size = last;
    if (last === 0) {
      this.used = 0;
      this.dead = 0;
    }
    if (this.size * 8 < this.mask + 1 && this.mask + 1 > MIN_SLOTS) this.resize((this.mask + 1) / 2);
    this.compactIfWasteful();
  }

  /** The slot holding position `pos`. */
  private slotOf(pos: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = this.meta[pos * STRIDE + HASH]! & mask; ; i = (i + 1) & mask) if (slots[2 * i + 1] === pos + 1) return i;
  }

  /** The first empty slot of the probe sequence of `hash`. */
  private emptySlotFor(hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash & mask;
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    return i;
  }

  /** Empties slot `i`, shifting back the entries after it whose probe passed it (no tombstones). */
  private clearSlot(i: number): void {
    const slots = this.slots;
    const mask = this.mask;
    for (let j = (i + 1) & mask; slots[2 * j + 1] !== 0; j = (j + 1) & mask) {
      const home = slots[2 * j]! & mask;
      // the entry at j may move to i when i lies on its probe path, from home to j (cyclically)
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[2 * i] = slots[2 * j]!;
        slots[2 * i + 1] = slots[2 * j + 1]!;
        i = j;
      }
    }
    slots[2 * i] = 0;
    slots[2 * i + 1] = 0;
  }

  /** Rebuilds the index with `count` slots, from the stored hashes. */
  private resize(count: number): void {
    const old = this.slots;
    const slots = new Int32Array(count * 2);
    const mask = count - 1;
    for (let k = 0; k < old.length; k += 2) {
      const p = old[k + 1]!;
      if (p === 0) continue;
      const h = old[k]!;
      let i = h & mask;
      while (slots[2 * i + 1] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = p;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Makes this (empty) table a copy of `src`, sharing nothing (COPY). */
  protected copyFrom(src: EntryTable): void {
    const t = this;
    t.heap = Buffer.allocUnsafe(Math.max(1024, src.used));
    src.heap.copy(t.heap, 0, 0, src.used);
    t.used = src.used;
    t.dead = src.dead;
    t.meta = src.meta.slice();
    t.slots = src.slots.slice();
    t.mask = src.mask;
    t.size = src.size;
  }

  /** A copy sharing nothing (COPY). */
  clone(): EntryTable {
    const t = new EntryTable();
    t.copyFrom(this);
    return t;
  }

  /** The heap offset of `n` new bytes, growing the heap (or compacting it) when full. */
  private place(n: number): number {
    if (this.used + n > this.heap.length) {
      const live = this.used - this.dead;
      if (this.dead >= MIN_COMPACT && this.dead * 4 >= this.used) this.compact(Math.max(this.heap.length, (live + n) * 2));
      else {
        // mostly live: one copy of the bytes as they are (a compaction walks every entry)
        const heap = Buffer.allocUnsafe(Math.max(this.heap.length * 2, this.used + n));
        this.heap.copy(heap, 0, 0, this.used);
        this.heap = heap;
      }
    }
    const off = this.used;
    this.used += n;
    return off;
  }

  private write(at: number, s: string): void {
    const n = s.length;
    if (n <= SHORT_COPY) for (let i = 0; i < n; i++) this.heap[at + i] = s.charCodeAt(i);
    else this.heap.latin1Write(s, at);
  }

  private compactIfWasteful(): void {
    if (this.dead >= MIN_COMPACT && this.dead * 2 > this.used) this.compact(Math.max(1024, (this.used - this.dead) * 2));
  }

  /** Copies the live entries, in position order, into a heap of `capacity` bytes. */
  private compact(capacity: number): void {
    const src = this.heap;
    const dst = Buffer.allocUnsafe(capacity);
    const m = this.meta;
    let at = 0;
    for (let b = 0; b < this.size * STRIDE; b += STRIDE) {
      const off = m[b + OFF]!;
      const n = m[b + KEY_LEN]! + m[b + VAL_LEN]!;
      // short entries by a loop: Buffer#copy is a call into C++ per entry
      if (n <= SHORT_COPY) for (let i = 0; i < n; i++) dst[at + i] = src[off + i]!;
      else src.copy(dst, at, off, off + n);
      m[b + OFF] = at;
      at += n;
    }
    this.heap = dst;
    this.used = at;
    this.dead = 0;
  }
}
