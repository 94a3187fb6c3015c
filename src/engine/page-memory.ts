/*
 * Where the arena's pages come from, and how their memory goes back.
 *
 * A page is a SharedArrayBuffer, not an ArrayBuffer, for the garbage collector's sake. V8 counts
 * every ArrayBuffer's bytes as external memory and schedules collections to free them: while the
 * keyspace grows by pages (1M random SETs of 500-byte values over 1M 3-byte keys, ~400 MB of
 * new pages), that was 37 Mark-Compacts and 124 scavenges with a 12 MB heap, 655 ms of pauses in
 * all and the longest event-loop stalls of the run. A SharedArrayBuffer's backing store is not
 * counted that way: the same run made 0 Mark-Compacts and 22 scavenges (104 ms). Pages live
 * as long as the keyspace, so V8 has nothing to free there anyway.
 *
 * The price is that V8 no longer knows when dropped pages are worth a collection: a dropped
 * SharedArrayBuffer's memory returns to the system only when its (tiny) JS object is collected,
 * which an idle server might not do for a long time. So whoever drops pages says so
 * (`pagesDropped`), and once a sizeable amount is waiting a full collection is run just after
 * the current turn — after a flush of a large keyspace or a server's close, which are stop-the-world
 * operations anyway. The collector is reached through `--expose-gc`, set for a fresh context
 * only (the process's own globals do not change).
 *
 * Dedicated pages (one record larger than any size class) come and go with their record, so they
 * stay ArrayBuffers, which V8 accounts and frees by itself.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** dropped page bytes that make a collection worth its pause */
const COLLECT_ABOVE = 64 * 1024 * 1024;

let waiting = 0;
let scheduled = false;
let collector: (() => void) | null = null;

/** Memory for one shared page of `bytes`. */
export function sharedPage(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(bytes);
}

/** `bytes` of shared pages are no longer referenced: collect once enough are waiting. */
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
