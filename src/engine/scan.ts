/*
 * SCAN over a database's shards with Redis's reverse-binary cursor, keeping its guarantee: a key
 * present from the first call to the last is returned at least once, whatever is added or
 * deleted meanwhile and however the shards' tables grow or shrink, and a full scan ends with
 * cursor 0. Nothing is kept between calls: the cursor is the position.
 *
 *   cursor = bucketCursor * shardCount + shard
 *
 * Each shard is scanned as Redis scans a dict (shard.ts scanStep): the bucket cursor counts up
 * in reversed bit order, so that the buckets already visited at one table size are, after a
 * doubling or halving, exactly the buckets their keys can have moved to; during an incremental
 * resize each step covers a bucket of the smaller table and all its expansions in the larger.
 * A step collects whole buckets, never more than COUNT keys unless one bucket alone holds more
 * (it cannot be split: it is then returned whole), and stops when the next bucket would not fit
 * or after visiting ten times COUNT buckets. A cursor that was never
 * handed out (forged, or from before a SWAPDB) still names a position: at worst keys repeat.
 */
import type { Database } from './keyspace.js';
import { hashKey, TTL_BIT } from './shard.js';
import type { Value } from './values.js';

const CURSOR_MAX = (1n << 64n) - 1n;

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
  /**
   * Runs one SCAN step of `db` from `cursor`, handing each live key to `emit`, and returns the
   * next cursor (0n when the scan is complete). It collects about `count` keys. Keys failing
   * `match` (SCAN's MATCH) are skipped first. Side effect: expired keys it visits that pass
   * `match` are removed, as Redis's SCAN does (it filters by pattern before it expires).
   */
  scan(
    db: Database,
    cursor: bigint,
    count: number,
    now: number,
    emit: (key: string, value: Value) => void,
    match: ((key: string) => boolean) | null = null,
  ): bigint {
    const shardCount = db.shards.length;
    let index = Number(cursor % BigInt(shardCount));
    let v = Number(BigInt.asUintN(32, cursor / BigInt(shardCount)));
    const keys: string[] = [];
    let budget = Math.max(count, 1) * 10;
    for (;;) {
      const shard = db.shards[index]!;
      if (shard.count === 0) v = 0;
      else {
        const next = shard.scanStep(v, keys, count);
        if (next === -1) break; // the next bucket would not fit in this reply
        v = next;
        budget--;
      }
      if (v === 0) index++;
      if (index === shardCount || keys.length >= count || budget <= 0) break;
    }
    for (const key of keys) {
      if (match !== null && !match(key)) continue;
      const shard = db.shardOf(key);
      const a = shard.find(key, hashKey(key));
      if (a === 0) continue;
      if (shard.meta(a) & TTL_BIT && shard.expiryOf(a) <= now) {
        db.expire(shard, key);
        continue;
      }
      emit(key, db.valueIn(shard, a, key));
    }
    if (index === shardCount) return 0n;
    return BigInt(v) * BigInt(shardCount) + BigInt(index);
  }

  /** Cursors held between calls: none (kept for tests and INFO). */
  get size(): number {
    return 0;
  }
}

/**
 * The keys of `db` matching `match` (all keys when it is null) that are not expired at `now`,
 * as KEYS lists them. Expired keys are skipped, not removed.
 */
export function collectKeys(db: Database, now: number, match: ((key: string) => boolean) | null): string[] {
  const out: string[] = [];
  for (const shard of db.shards) {
    for (const a of shard.addresses()) {
      const key = shard.keyOf(a);
      if (match !== null && !match(key)) continue;
      if (shard.meta(a) & TTL_BIT && shard.expiryOf(a) <= now) continue;
      out.push(key);
    }
  }
  return out;
}
