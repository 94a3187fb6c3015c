/*
 * The arena: where the keyspace's records live, off the V8 heap. Memory comes in pages of
 * PAGE_BYTES (one ArrayBuffer each, viewed as bytes and as 32-bit words); a record is a chunk of
 * a page, named by a 32-bit address in units of 8 bytes:
 *
 *   address = page << PAGE_UNITS_BITS | (byte offset in the page >> 3)
 *
 * so 2^32 addresses cover 32 GB, and address 0 (the first unit of page 0, never handed out) is
 * the null record. Nothing in the arena is a JS object per record: the garbage collector sees a
 * few hundred ArrayBuffers, whatever the number of keys.
 *
 * Free space is reused by size class: chunk sizes are multiples of 8 bytes up to 128 bytes, then
 * eight classes per doubling (at most 12.5% lost to rounding) up to MAX_CLASS_BYTES. A freed chunk
 * goes onto its class's free list, threaded through the chunks themselves (their first word holds
 * the next free address), and is handed out again before any new space. New chunks are carved
 * from the current page; the tail of a page too short for a request is cut into chunks of the
 * largest classes that fit and put on their free lists, so nothing is lost. A record larger than
 * the largest class gets a page of its own, released whole when the record is freed.
 *
 * Collections, MutableStrings, bigints and strings above LARGE_STRING bytes are JS values: a
 * record refers to them by a handle, an index into `handles` (freed indices are reused).
 */

import { PageSlabs, pagesDropped } from './page-memory.js';

export const PAGE_BITS = 20;
export const PAGE_BYTES = 1 << PAGE_BITS;
const PAGE_UNITS_BITS = PAGE_BITS - 3;
const UNIT_MASK = (1 << PAGE_UNITS_BITS) - 1;
const MAX_PAGES = 1 << (32 - PAGE_UNITS_BITS);

/** Chunk sizes: 8, 16 … 128, then 8 classes per doubling up to MAX_CLASS_BYTES. */
const CLASS_SIZES: number[] = [];
for (let s = 8; s <= 128; s += 8) CLASS_SIZES.push(s);
for (let base = 128; base < 64 * 1024; base *= 2) for (let i = 1; i <= 8; i++) CLASS_SIZES.push(base + (base / 8) * i);
export const MAX_CLASS_BYTES = CLASS_SIZES[CLASS_SIZES.length - 1]!;
const CLASS_COUNT = CLASS_SIZES.length;
/** class index of a size in 8-byte units (rounded up) */
const CLASS_OF_UNITS = new Uint8Array(MAX_CLASS_BYTES / 8 + 1);
for (let u = 0, c = 0; u <= MAX_CLASS_BYTES / 8; u++) {
  while (CLASS_SIZES[c]! < u * 8) c++;
  CLASS_OF_UNITS[u] = c;
}
/** Dedicated pages are marked in `pageClass` with this value. */
const DEDICATED = 255;

/** The chunk size a record of `bytes` occupies (or 0: larger than any class, a page of its own). */
export function chunkBytes(bytes: number): number {
  return bytes > MAX_CLASS_BYTES ? 0 : CLASS_SIZES[CLASS_OF_UNITS[(bytes + 7) >>> 3]!]!;
}

export class Arena {
  /** every page's bytes (a Buffer, for latin1 reads and writes) and words; null: released */
  readonly u8: Buffer[] = [];
  readonly u32: Uint32Array[] = [];
  /** DEDICATED for a page of its own */
  private readonly pageClass: number[] = [];
  private readonly freePages: number[] = [];
  /** free-list head address per class (0: empty) */
  private readonly freeHead = new Uint32Array(CLASS_COUNT);
  private readonly slabs = new PageSlabs(PAGE_BYTES);
  /** the page being carved and the next free byte in it */
  private current = -1;
  private top = PAGE_BYTES;
  /** bytes of pages held (the arena's footprint) */
  pageBytes = 0;
  /** bytes of chunks handed out and not freed */
  usedBytes = 0;
  /**
   * Records carrying a TTL, over every shard of every database that shares this arena (the
   * whole keyspace): the sum of the shards' ttlCount, kept by the shards. The active expiry cycle
   * skips its walk of the shards while it is 0.
   */
  ttlRecords = 0;

  /** JS values referenced from records */
  readonly handles: unknown[] = [];
  private readonly freeHandles: number[] = [];

  constructor() {
    // page 0 is a stub of one unit, never handed out: address 0 is the null record
    this.u8.push(Buffer.alloc(8));
    this.u32.push(new Uint32Array(2));
    this.pageClass.push(DEDICATED);
  }

  /**
   * Drops every page, when no record is left (after a flush): the memory goes back to the
   * system instead of waiting on free lists.
   */
  resetIfEmpty(): void {
    if (this.usedBytes !== 0) return;
    pagesDropped(this.pageBytes);
    this.slabs.reset();
    this.u8.length = this.u32.length = this.pageClass.length = 1;
    this.freePages.length = 0;
    this.freeHead.fill(0);
    this.current = -1;
    this.top = PAGE_BYTES;
    this.pageBytes = 0;
    this.handles.length = 0;
    this.freeHandles.length = 0;
  }

  /** A chunk for a record of `bytes` bytes. Its contents are undefined. */
  alloc(bytes: number): number {
    if (bytes > MAX_CLASS_BYTES) return this.allocDedicated(bytes);
    const cls = CLASS_OF_UNITS[(bytes + 7) >>> 3]!;
    const size = CLASS_SIZES[cls]!;
    this.usedBytes += size;
    const head = this.freeHead[cls]!;
    if (head !== 0) {
      this.freeHead[cls] = this.u32[head >>> PAGE_UNITS_BITS]![(head & UNIT_MASK) << 1]!;
      return head;
    }
    if (this.top + size > PAGE_BYTES) this.newPage();
    const addr = (this.current << PAGE_UNITS_BITS) | (this.top >>> 3);
    this.top += size;
    return addr;
  }

  /** Gives back the chunk at `addr`, which held a record of `bytes` bytes. */
  free(addr: number, bytes: number): void {
    if (bytes > MAX_CLASS_BYTES) return this.freeDedicated(addr, bytes);
    const cls = CLASS_OF_UNITS[(bytes + 7) >>> 3]!;
    this.usedBytes -= CLASS_SIZES[cls]!;
    this.u32[addr >>> PAGE_UNITS_BITS]![(addr & UNIT_MASK) << 1] = this.freeHead[cls]!;
    this.freeHead[cls] = addr;
  }

  private newPage(): void {
    // the tail of the current page goes to the free lists, largest classes first
    if (this.current >= 0) {
      let left = PAGE_BYTES - this.top;
      for (let cls = CLASS_COUNT - 1; cls >= 0 && left >= 8; cls--) {
        const size = CLASS_SIZES[cls]!;
        while (left >= size) {
          const addr = (this.current << PAGE_UNITS_BITS) | (this.top >>> 3);
          this.u32[this.current]![(addr & UNIT_MASK) << 1] = this.freeHead[cls]!;
          this.freeHead[cls] = addr;
          this.top += size;
          left -= size;
        }
      }
    }
    this.current = this.takePage(PAGE_BYTES, 0);
    this.top = 0;
  }

  private takePage(bytes: number, cls: number): number {
    const index = this.freePages.length !== 0 ? this.freePages.pop()! : this.u8.length;
    if (index >= MAX_PAGES) throw new RangeError('keyspace arena is full');
    // pages come from slabs, so that V8 does not collect over every one (page-memory.ts); a
    // dedicated page comes and goes with its record and is an ArrayBuffer of its own
    const page = cls === DEDICATED ? Buffer.from(new ArrayBuffer(bytes)) : this.slabs.page();
    this.u8[index] = page;
    this.u32[index] = new Uint32Array(page.buffer, page.byteOffset, bytes >>> 2);
    this.pageClass[index] = cls;
    this.pageBytes += bytes;
    return index;
  }

  private allocDedicated(bytes: number): number {
    const size = (bytes + 7) & ~7;
    const page = this.takePage(size, DEDICATED);
    this.usedBytes += size;
    return page << PAGE_UNITS_BITS;
  }

  private freeDedicated(addr: number, bytes: number): void {
    const page = addr >>> PAGE_UNITS_BITS;
    const size = (bytes + 7) & ~7;
    this.usedBytes -= size;
    this.pageBytes -= this.u8[page]!.length;
    (this.u8 as (Buffer | null)[])[page] = null;
    (this.u32 as (Uint32Array | null)[])[page] = null;
    this.freePages.push(page);
  }

  /** A handle for `v`. */
  hold(v: unknown): number {
    if (this.freeHandles.length !== 0) {
      const h = this.freeHandles.pop()!;
      this.handles[h] = v;
      return h;
    }
    this.handles.push(v);
    return this.handles.length - 1;
  }

  release(h: number): void {
    this.handles[h] = undefined;
    this.freeHandles.push(h);
  }

  /** Bytes the arena holds beyond its pages: the handle table's slots. */
  get handleTableBytes(): number {
    return this.handles.length * 8;
  }
}

/** Page index, byte offset and word offset of an address. */
export function pageOf(addr: number): number {
  return addr >>> PAGE_UNITS_BITS;
}
export function byteOf(addr: number): number {
  return (addr & UNIT_MASK) << 3;
}
export function wordOf(addr: number): number {
  return (addr & UNIT_MASK) << 1;
}
