/*
 * Where the arena's pages come from, and how their memory goes back.
 *
 * Pages are cut from slabs of SLAB_BYTES: one ArrayBuffer per 64 pages, not one per page, for
 * the garbage collector's sake. V8 counts every ArrayBuffer allocation as external memory and
 * answers growth with collections: while the keyspace grew by ~400 MB of 1 MB pages (1M random
 * SETs of 500-byte values over 1M 3-byte keys) that was 24–37 Mark-Compacts of a 12 MB heap;
 * with 64 MB slabs, 5. (The run's longest event-loop stall, ~14 ms on a quiet machine, did not
 * change: that one is a scavenge.) SharedArrayBuffer pages, which V8 does not account at all,
 * made none — but V8 copies in and out of shared memory with relaxed atomics, 1.5–1.9× slower
 * per copy, +5% instructions per SET/GET of 100-byte values.
 *
 * Memory returns when the slab's ArrayBuffer is collected, and V8 collects when memory is
 * allocated, not when it is dropped: after a flush of a large keyspace an idle server could keep
 * it for a long time. So whoever drops pages says so (`pagesDropped`), and once a sizeable amount
 * is waiting a full collection runs just after the current turn — a flush is a stop-the-world
 * operation anyway. The collector is reached through `--expose-gc`, set for
 * a fresh context only (the process's own globals do not change).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const SLAB_BYTES = 64 * 1024 * 1024;
/** dropped page bytes that make a collection worth its pause */
const COLLECT_ABOVE = 64 * 1024 * 1024;

/** Cuts pages of one size from slabs; a slab is freed once none of its pages is referenced. */
export class PageSlabs {
  private slab: ArrayBuffer | null = null;
  private at = 0;

  constructor(private readonly pageBytes: number) {}

  /** A fresh page, zero-filled. */
  page(): Buffer {
    if (this.slab === null || this.at + this.pageBytes > SLAB_BYTES) {
      this.slab = new ArrayBuffer(SLAB_BYTES);
      this.at = 0;
    }
    const page = Buffer.from(this.slab, this.at, this.pageBytes);
    this.at += this.pageBytes;
    return page;
  }

  /** Every page was dropped: the next one starts a new slab. */
  reset(): void {
    this.slab = null;
    this.at = 0;
  }
}

let waiting = 0;
let scheduled = false;
let collector: (() => void) | null = null;

/** `bytes` of pages are no longer referenced: collect once enough are waiting. */
export function pagesDropped(bytes: number): void {
  waiting += bytes;
  if (waiting < COLLECT_ABOVE || scheduled) return;
  scheduled = true;
  setImmediate(collectNow).unref();
}

function collectNow(): void {
  scheduled = false;
  waiting = 0;
  if (collector === null) {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  collector();
}
