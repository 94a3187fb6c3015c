/*
 * The per-key access clock, as Redis's 24-bit `lru` field of every object: the clock maxmemory
 * eviction samples and OBJECT IDLETIME / OBJECT FREQ report.
 *  - LRU (any policy but an LFU one): the field is the LRU clock when the key was last accessed,
 *    in seconds (LRU_CLOCK_RESOLUTION ms) modulo 2^24 (about 194 days), so an idle time is
 *    estimated across one wrap-around.
 *  - LFU (`allkeys-lfu`, `volatile-lfu`): the high 16 bits are the last decrement time in minutes
 *    (modulo 2^16), the low 8 a logarithmic access counter: an access increments it with
 *    probability 1/((counter - LFU_INIT_VAL) * lfu-log-factor + 1), and it decays by one every
 *    lfu-decay-time minutes. A new key starts at LFU_INIT_VAL so it is not evicted at once.
 * Which reads touch: `Database.lookupRead(key, now, touch)` with touch false for TYPE, TTL,
 * EXISTS, OBJECT… (Redis's LOOKUP_NOTOUCH), and for every read of a CLIENT NO-TOUCH client
 * except TOUCH itself (dispatch sets `AccessPolicy.suppressed` around its commands).
 *
 * Storage is the keyspace's: the off-heap keyspace keeps the field in each record's header. The
 * heap keyspace of today stores none (an extra Map entry per key would cost memory per key and
 * a Map write per read): `Database.access` is null, and OBJECT IDLETIME / FREQ answer as for a
 * key just written (idle 0, the counter LFU_INIT_VAL). `MapAccessStore` below is the reference
 * store the unit tests (and any keyspace that wants one) use.
 */

export const LRU_BITS = 24;
export const LRU_CLOCK_MAX = (1 << LRU_BITS) - 1;
/** milliseconds per LRU clock tick */
export const LRU_CLOCK_RESOLUTION = 1000;
/** a new key's LFU counter */
export const LFU_INIT_VAL = 5;
const LFU_MINUTES_MAX = 65535;

/** The LRU clock at `nowMs` (Redis's getLRUClock). */
export function lruClock(nowMs: number): number {
  return Math.floor(nowMs / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/** Milliseconds since an access stamped `lru`, across one wrap-around (estimateObjectIdleTime). */
export function estimateIdleMs(lru: number, nowMs: number): number {
  const clock = lruClock(nowMs);
  return (clock >= lru ? clock - lru : clock + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION;
}

/** The LFU time in minutes, 16 bits (LFUGetTimeInMinutes). */
export function lfuMinutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & LFU_MINUTES_MAX;
}

/** Minutes since `ldt`, across one wrap-around (LFUTimeElapsed). */
export function lfuElapsedMinutes(ldt: number, nowMs: number): number {
  const now = lfuMinutes(nowMs);
  return now >= ldt ? now - ldt : LFU_MINUTES_MAX - ldt + now;
}

/** The field's counter after the decay due by `nowMs` (LFUDecrAndReturn): OBJECT FREQ. */
export function lfuDecayed(field: number, nowMs: number, decayMinutes: number): number {
  const ldt = field >>> 8;
  const counter = field & 255;
  const periods = decayMinutes !== 0 ? Math.floor(lfuElapsedMinutes(ldt, nowMs) / decayMinutes) : 0;
  return periods === 0 ? counter : periods > counter ? 0 : counter - periods;
}

/** The counter after one access (LFULogIncr); `random` in [0, 1). */
export function lfuIncrement(counter: number, logFactor: number, random: number): number {
  if (counter === 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  return random < 1 / (base * logFactor + 1) ? counter + 1 : counter;
}

/** How the keyspace stamps and reads the fields: set from the configuration. */
export class AccessPolicy {
  /** an LFU maxmemory policy is selected */
  lfu = false;
  logFactor = 10;
  decayMinutes = 1;
  /** set by dispatch around the commands of a CLIENT NO-TOUCH client: reads do not touch */
  suppressed = false;
  /** some database keeps access clocks: dispatch then keeps `now` current for new keys' stamps */
  tracked = false;
  /** the running command's time, kept by dispatch while `tracked` (a write's new key is stamped with it) */
  now = 0;
  random: () => number = Math.random;

  /** The field of a key just created at `nowMs` (createObject). */
  initial(nowMs: number): number {
    return this.lfu ? (lfuMinutes(nowMs) << 8) | LFU_INIT_VAL : lruClock(nowMs);
  }

  /** The field after an access at `nowMs` (lookupKey's touch: updateLFU, or the LRU clock). */
  touched(field: number, nowMs: number): number {
    if (!this.lfu) return lruClock(nowMs);
    const counter = lfuIncrement(lfuDecayed(field, nowMs, this.decayMinutes), this.logFactor, this.random());
    return (lfuMinutes(nowMs) << 8) | counter;
  }

  /** OBJECT IDLETIME, in seconds. */
  idleSeconds(field: number, nowMs: number): number {
    return Math.floor(estimateIdleMs(field, nowMs) / 1000);
  }

  /** OBJECT FREQ. */
  frequency(field: number, nowMs: number): number {
    return lfuDecayed(field, nowMs, this.decayMinutes);
  }
}

/** Where a keyspace keeps each key's field (the off-heap keyspace: the record header). */
export interface AccessStore {
  get(key: string): number | undefined;
  set(key: string, field: number): void;
  delete(key: string): void;
  clear(): void;
}

/** A store in a Map: the reference implementation (unit tests). */
export class MapAccessStore implements AccessStore {
  readonly fields = new Map<string, number>();
  get(key: string): number | undefined {
    return this.fields.get(key);
  }
  set(key: string, field: number): void {
    this.fields.set(key, field);
  }
  delete(key: string): void {
    this.fields.delete(key);
  }
  clear(): void {
    this.fields.clear();
  }
}
