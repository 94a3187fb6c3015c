/*
 * SCAN over a database's shards, keeping Redis's guarantee: a key present from the first call to
 * the last is returned at least once, whatever is added or deleted meanwhile, and a full scan
 * ends with cursor 0.
 *
 * JS Maps have no stable bucket positions to encode in a cursor, but a live Map iterator is
 * exactly what SCAN needs: it visits, once each, every entry present for its whole life, in spite
 * of inserts, deletes and rehashes. So a cursor names a shard and, optionally, a parked iterator:
 *
 *   cursor = token * shardCount + shard
 *
 * token 0 means "the start of that shard"; another token names an iterator parked in a small
 * table when the previous call stopped inside the shard after COUNT entries. A token is used up
 * by the call that resumes it (so a repeated cursor cannot skip keys). A token that is unknown —
 * evicted from the table, reused, forged, or naming a shard that SWAPDB replaced — rescans its
 * shard from the start and in full: duplicates are allowed, misses are not, and a scan always
 * progresses even when its iterators keep being evicted.
 *
 * An iterator also sees keys inserted after it started, so a shard that grows faster than a scan
 * reads it would never end. But insertion order puts every key present when the shard's scan
 * began within that many entries of its start: each shard's pass stops after as many entries as
 * the shard held when the pass began, and a scan always terminates.
 */
import type { Database, Shard } from './keyspace.js';
import type { Value } from './values.js';

/** Iterators parked at once; beyond this the oldest is dropped (its scan rescans a shard). */
const MAX_PARKED = 256;
const CURSOR_MAX = (1n << 64n) - 1n;

interface Parked {
  data: Map<string, Value>;
  iter: Iterator<[string, Value]>;
  /** entries this pass may still visit (the shard's size when the pass began, minus visits) */
  left: number;
}

/**
 * Parses a cursor as Redis does (strtoul): decimal, optional sign (a negative wraps around 2^64),
 * the empty string is 0; whitespace, other characters and values beyond 2^64-1 are invalid.
 * Returns null when invalid.
 */
export function parseCursor(s: string): bigint | null {
  if (s === '') return 0n;
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]!);
  if (v > CURSOR_MAX) return null;
  return m[1] === '-' ? (CURSOR_MAX + 1n - v) & CURSOR_MAX : v;
}

export class ScanCursors {
  private readonly parked = new Map<number, Parked>();
  private nextToken = 1;

  /**
   * Runs one SCAN step of `db` from `cursor`, handing each live key to `emit`, and returns the
   * next cursor (0n when the scan is complete). It visits about `count` entries (at least one
   * shard's worth when resuming an unknown token). Keys failing `match` (SCAN's MATCH) are
   * skipped first. Side effect: expired keys it visits that pass `match` are removed, as Redis's
   * SCAN does (it filters by pattern before it expires).
   */
  scan(
    db: Database,
    cursor: bigint,
    count: number,
    now: number,
    emit: (key: string, value: Value) => void,
    match: ((key: string) => boolean) | null = null,
  ): bigint {
    const shardCount = BigInt(db.shards.length);
    let index = Number(cursor % shardCount);
    const token = cursor / shardCount;
    let iter: Iterator<[string, Value]> | undefined;
    let left = 0;
    let limit = count;
    if (token !== 0n) {
      const parked = token <= BigInt(Number.MAX_SAFE_INTEGER) ? this.parked.get(Number(token)) : undefined;
      if (parked !== undefined) this.parked.delete(Number(token));
      if (parked !== undefined && parked.data === db.shards[index]!.data) ({ iter, left } = parked);
      else limit = Infinity; // resume unknown: the whole shard, so the scan still progresses
    }
    let visited = 0;
    for (;;) {
      const shard = db.shards[index]!;
      if (iter === undefined) {
        iter = shard.data.entries();
        left = shard.data.size;
      }
      while (left > 0) {
        if (visited >= limit) return this.park(shard, iter, left, index, shardCount);
        const next = iter.next();
        if (next.done) break;
        visited++;
        left--;
        const [key, value] = next.value;
        if (match !== null && !match(key)) continue;
        if (shard.expires.size !== 0) {
          const at = shard.expires.get(key);
          if (at !== undefined && at <= now) {
            db.expire(shard, key);
            continue;
          }
        }
        emit(key, value);
      }
      iter = undefined;
      limit = count;
      if (++index === db.shards.length) return 0n;
      if (visited >= count) return BigInt(index);
    }
  }

  /** Parks `iter` and returns the cursor that resumes it. */
  private park(shard: Shard, iter: Iterator<[string, Value]>, left: number, index: number, shardCount: bigint): bigint {
    if (this.parked.size >= MAX_PARKED) this.parked.delete(this.parked.keys().next().value!);
    const token = this.nextToken++;
    this.parked.set(token, { data: shard.data, iter, left });
    return BigInt(token) * shardCount + BigInt(index);
  }

  /** Number of parked iterators (for tests and INFO). */
  get size(): number {
    return this.parked.size;
  }
}

/**
 * The keys of `db` matching `match` (all keys when it is null) that are not expired at `now`,
 * as KEYS lists them. Expired keys are skipped, not removed.
 */
export function collectKeys(db: Database, now: number, match: ((key: string) => boolean) | null): string[] {
  const out: string[] = [];
  for (const shard of db.shards) {
    const expires = shard.expires;
    for (const key of shard.data.keys()) {
      if (match !== null && !match(key)) continue;
      if (expires.size !== 0) {
        const at = expires.get(key);
        if (at !== undefined && at <= now) continue;
      }
      out.push(key);
    }
  }
  return out;
}
