/*
 * The per-key access clock: 24 bits in every record's header, as Redis's `lru` field, holding
 * either (the maxmemory policy decides)
 *  - LRU: the time of the last access in seconds, modulo 2^24 (Redis's LRU_CLOCK, resolution
 *    1 s); OBJECT IDLETIME is the distance to now, allowing for one wrap-around;
 *  - LFU: the time of the last decrement in minutes modulo 2^16 (high 16 bits) and an 8-bit
 *    logarithmic access counter (low 8 bits). A new key starts at LFU_INIT_VAL; an access first
 *    decays the counter by one per `lfu-decay-time` minutes elapsed, then increments it with
 *    probability 1 / ((counter - LFU_INIT_VAL) * lfu-log-factor + 1), saturating at 255 — the
 *    arithmetic Redis's evict.c documents. OBJECT FREQ is the decayed counter.
 *
 * Redis's shared integers (0 … 9999 unless maxmemory with an LRU/LFU policy forbids sharing) are
 * one object each, whose clock every key holding them shares: `shared` keeps those clocks.
 *
 * Which commands touch is the lookups' business (`touch` false for TYPE, TTL, EXISTS…, OBJECT
 * and CLIENT NO-TOUCH); this file only holds the arithmetic, driven by the command's `now`, so
 * that tests move a fake clock instead of sleeping.
 */

export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LFU_INIT_VAL = 5;
/** Redis shares one object for each of the integers 0 … SHARED_INTEGERS-1 (and so one clock). */
export const SHARED_INTEGERS = 10000;

export class AccessClock {
  /** an LFU maxmemory policy is selected: the field is a counter, not a time */
  lfu = false;
  /** lfu-log-factor, lfu-decay-time */
  logFactor = 10;
  decayTime = 1;
  /** the latest `now` a lookup saw: the time a write without a lookup stamps on a new key */
  now = 0;
  /** set by dispatch while a CLIENT NO-TOUCH client's command runs: lookups do not touch */
  suppressed = false;
  /** uniform in [0, 1): replaced by tests */
  random: () => number = Math.random;
  /**
   * Whether integer values 0 … 9999 are Redis's shared objects (maxmemory 0, or a policy that is
   * neither LRU nor LFU): every key holding one then shares that integer's clock, as in Redis,
   * where touching such a key touches the shared object. `shared` holds those clocks.
   */
  sharing = true;
  readonly shared = new Uint32Array(SHARED_INTEGERS);

  /** Stamps the shared integers' clocks as Redis does when it creates them at start. */
  startShared(now: number): void {
    this.shared.fill(this.fresh(now));
  }

  /** Whether `v` is a shared integer (its clock is in `shared`). */
  isShared(v: unknown): v is number {
    return this.sharing && typeof v === 'number' && v >= 0 && v < SHARED_INTEGERS;
  }

  /** The field of a key created at `now`. */
  fresh(now: number): number {
    return this.lfu ? (minutes(now) << 8) | LFU_INIT_VAL : lruClock(now);
  }

  /** The field after an access at `now`. */
  touched(field: number, now: number): number {
    if (!this.lfu) return lruClock(now);
    let counter = this.decayed(field, now);
    if (counter < 255) {
      const base = counter > LFU_INIT_VAL ? counter - LFU_INIT_VAL : 0;
      if (this.random() < 1 / (base * this.logFactor + 1)) counter++;
    }
    return (minutes(now) << 8) | counter;
  }

  /** OBJECT IDLETIME: seconds since the last access (LRU). */
  idleSeconds(field: number, now: number): number {
    const clock = lruClock(now);
    const ticks = clock >= field ? clock - field : clock + (LRU_CLOCK_MAX - field);
    return ticks;
  }

  /** OBJECT FREQ: the LFU counter, decayed to `now` (the field is not changed). */
  decayed(field: number, now: number): number {
    const counter = field & 255;
    if (this.decayTime === 0) return counter;
    const last = field >>> 8;
    const current = minutes(now);
    const elapsed = current >= last ? current - last : 65535 - last + current;
    const periods = Math.floor(elapsed / this.decayTime);
    return periods >= counter ? 0 : counter - periods;
  }
}

function lruClock(now: number): number {
  return Math.floor(now / 1000) & LRU_CLOCK_MAX;
}

function minutes(now: number): number {
  return Math.floor(now / 60000) & 65535;
}
