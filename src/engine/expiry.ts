/*
 * The active expiry cycle, after Redis's activeExpireCycle: keys that expire and are never read
 * again must still go. Each run visits shards round-robin and sweeps each shard's expiry index
 * in steps of SAMPLE keys, resuming where it stopped last time; a shard is swept again at once
 * while more than a tenth of its step had expired. The run stops when its time budget is spent,
 * so a large expiry wave is spread over many short runs instead of one long pause. While no key
 * of the keyspace carries a TTL (the arena's count of such records is 0) a run does nothing at
 * all: it does not walk the databases' shards.
 */
import type { Clock } from './clock.js';
import type { Keyspace, Shard } from './keyspace.js';

export const SAMPLE = 20;
const STALE_PERCENT = 10;
/** Check the time budget once every this many steps (reading the clock is not free). */
const STEPS_PER_CLOCK_CHECK = 16;

export interface CycleResult {
  expired: number;
  sampled: number;
  timedOut: boolean;
}

export class ActiveExpiry {
  private dbIndex = 0;
  private shardIndex = 0;

  constructor(
    private readonly keyspace: Keyspace,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs one cycle of at most `budgetMs` milliseconds (measured on the clock). `now` is the time
   * used to decide which keys have expired.
   */
  run(now: number, budgetMs: number): CycleResult {
    const result: CycleResult = { expired: 0, sampled: 0, timedOut: false };
    if (this.keyspace.arena.ttlRecords === 0) return result;
    const { all: dbs, shardCount } = this.keyspace;
    if (this.dbIndex >= dbs.length) this.dbIndex = 0;
    const total = dbs.length * shardCount;
    const start = this.clock.now();
    let steps = 0;
    for (let visited = 0; visited < total; visited++) {
      const db = dbs[this.dbIndex]!;
      const shard = db.shards[this.shardIndex]!;
      if (shard.ttlCount !== 0) {
        for (;;) {
          const { expired, sampled } = sweepStep(shard, now, (key) => db.expire(shard, key));
          result.expired += expired;
          result.sampled += sampled;
          if (++steps % STEPS_PER_CLOCK_CHECK === 0 && this.clock.now() - start >= budgetMs) {
            result.timedOut = true;
            return result;
          }
          if (sampled === 0 || expired * 100 <= sampled * STALE_PERCENT) break;
        }
      }
      if (++this.shardIndex === shardCount) {
        this.shardIndex = 0;
        this.dbIndex = (this.dbIndex + 1) % dbs.length;
      }
    }
    return result;
  }
}

/**
 * Looks at up to SAMPLE keys of the shard's TTL index, from where the last step stopped,
 * removing those expired at `now`. A removal moves the index's last entry into the hole, which
 * is looked at next; the sweep starts over at the end of the index.
 */
function sweepStep(shard: Shard, now: number, expire: (key: string) => void): { expired: number; sampled: number } {
  let expired = 0;
  let sampled = 0;
  let pos = shard.expireCursor;
  while (sampled < SAMPLE) {
    if (pos >= shard.ttlCount) {
      shard.expireCursor = 0;
      return { expired, sampled };
    }
    sampled++;
    const a = shard.ttl[pos]!;
    if (shard.expiryOf(a) <= now) {
      expire(shard.keyOf(a));
      expired++;
    } else pos++;
  }
  shard.expireCursor = pos;
  return { expired, sampled };
}
