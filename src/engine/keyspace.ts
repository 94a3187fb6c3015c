/*
 * The keyspace: databases, each split into shards by the key's cluster hash slot, so that a
 * shard is a contiguous range of slots that cluster mode can later move whole. A shard holds its
 * keys, its expiry index (only keys with a TTL appear there) and its share of memory accounting.
 * Sharding also lifts V8's limit of 2^24 entries per Map.
 *
 * Every read goes through `lookup`, which applies lazy expiry; every write goes through `set`,
 * `delete`, `setExpire` or `persist`, which keep accounting and the expiry index right.
 */
import { ScanCursors } from './scan.js';
import { keySlot, SLOTS } from './slot.js';
import { sizeOf, type Value } from './values.js';

const ENTRY_OVERHEAD = 48; // a Map entry and its hash-table slot, roughly

export class Shard {
  readonly data = new Map<string, Value>();
  /** key → absolute expiry time in ms, for keys with a TTL only */
  readonly expires = new Map<string, number>();
  /** approximate bytes held by this shard's keys and values */
  bytes = 0;
  /** where the active expiry cycle resumes its sweep of `expires` */
  expireCursor: Iterator<[string, number]> | null = null;

  clear(): void {
    this.data.clear();
    this.expires.clear();
    this.bytes = 0;
    this.expireCursor = null;
  }
}

export class Database {
  readonly shards: Shard[];
  private readonly slotShift: number;
  /** Keys removed by lazy or active expiry since start (INFO expired_keys). */
  expiredKeys = 0;

  constructor(
    public readonly id: number,
    shardCount: number,
  ) {
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > SLOTS || (shardCount & (shardCount - 1)) !== 0) {
      throw new RangeError(`shard count must be a power of two from 1 to ${SLOTS}`);
    }
    this.shards = Array.from({ length: shardCount }, () => new Shard());
    this.slotShift = Math.log2(SLOTS / shardCount);
    this.lastShard = this.shards[keySlot('') >> this.slotShift]!;
  }

  /** The last key `shardOf` hashed, and its shard (see `shardAgain`). */
  private lastKey = '';
  private lastShard: Shard;

  shardOf(key: string): Shard {
    const shard = this.shards[keySlot(key) >> this.slotShift]!;
    this.lastKey = key;
    this.lastShard = shard;
    return shard;
  }

  /**
   * `shardOf` for the operations that follow one on the same key (INCR's replace after its
   * lookup, APPEND's resize, SET EX's expiry after the set): handed the same string, the check is a
   * pointer comparison and the CRC16 is skipped. Only these check, as comparing two different keys
   * of one length costs a scan of their common prefix.
   */
  private shardAgain(key: string): Shard {
    return key === this.lastKey ? this.lastShard : this.shardOf(key);
  }

  /**
   * The value of `key` at time `now`, or undefined. Side effect: a key whose TTL has passed is
   * deleted here (lazy expiry) and counts as expired.
   */
  lookup(key: string, now: number): Value | undefined {
    const shard = this.shardOf(key);
    if (shard.expires.size !== 0) {
      const at = shard.expires.get(key);
      if (at !== undefined && at <= now) {
        this.removeFrom(shard, key);
        this.expiredKeys++;
        return undefined;
      }
    }
    return shard.data.get(key);
  }

  /** Whether `key` exists at `now` (same side effect as lookup). */
  exists(key: string, now: number): boolean {
    return this.lookup(key, now) !== undefined;
  }

  /**
   * Stores `value` at `key`. Unless `keepTtl`, any TTL the key had is removed (as Redis's SET).
   */
  set(key: string, value: Value, keepTtl = false): void {
    const shard = this.shardOf(key);
    const old = shard.data.get(key);
    shard.data.set(key, value);
    shard.bytes += sizeOf(value) - (old === undefined ? -ENTRY_OVERHEAD - key.length : sizeOf(old));
    if (!keepTtl && shard.expires.size !== 0) shard.expires.delete(key);
  }

  /**
   * Replaces the value of `key`, which `lookup` just returned as `old`, keeping its TTL: the
   * read-modify-write commands (INCR…) skip `set`'s second lookup of the old value.
   */
  replace(key: string, old: Value, value: Value): void {
    const shard = this.shardAgain(key);
    shard.data.set(key, value);
    shard.bytes += sizeOf(value) - sizeOf(old);
  }

  /** Tells accounting that a value stored at `key` changed size in place (APPEND, SETRANGE). */
  resized(key: string, delta: number): void {
    this.shardAgain(key).bytes += delta;
  }

  /** Removes `key`. Returns whether it was there (expired keys are not removed here: lookup first). */
  delete(key: string): boolean {
    const shard = this.shardOf(key);
    if (!shard.data.has(key)) return false;
    this.removeFrom(shard, key);
    return true;
  }

  /** Removes `key` as expired (active expiry). */
  expire(shard: Shard, key: string): void {
    this.removeFrom(shard, key);
    this.expiredKeys++;
  }

  private removeFrom(shard: Shard, key: string): void {
    const old = shard.data.get(key);
    if (old === undefined) return;
    shard.data.delete(key);
    shard.bytes -= sizeOf(old) + ENTRY_OVERHEAD + key.length;
    if (shard.expires.size !== 0) shard.expires.delete(key);
  }

  /** The absolute expiry time of `key` in ms, or undefined when it has none. */
  expireAt(key: string): number | undefined {
    const shard = this.shardOf(key);
    return shard.expires.size === 0 ? undefined : shard.expires.get(key);
  }

  /** Sets the absolute expiry time of an existing key. */
  setExpire(key: string, at: number): void {
    this.shardAgain(key).expires.set(key, at);
  }

  /**
   * Moves the value and TTL of `from` (which must be present: lookup it first) to `to` in `dst`
   * (possibly this database), replacing whatever `to` held there, TTL included. RENAME and MOVE.
   */
  moveTo(from: string, dst: Database, to: string): void {
    const shard = this.shardOf(from);
    const value = shard.data.get(from)!;
    const at = shard.expires.size === 0 ? undefined : shard.expires.get(from);
    this.removeFrom(shard, from);
    dst.set(to, value);
    if (at !== undefined) dst.setExpire(to, at);
  }

  /**
   * A random key that is not expired at `now`, or undefined when there is none. Side effect:
   * expired keys it lands on are removed (as Redis's RANDOMKEY does), at most `tries` of them.
   */
  randomKey(now: number, tries = 100): string | undefined {
    for (let attempt = 0; attempt < tries; attempt++) {
      let pick = Math.floor(Math.random() * this.size);
      for (const shard of this.shards) {
        if (pick >= shard.data.size) {
          pick -= shard.data.size;
          continue;
        }
        for (const key of shard.data.keys()) {
          if (pick-- !== 0) continue;
          const at = shard.expires.size === 0 ? undefined : shard.expires.get(key);
          if (at === undefined || at > now) return key;
          this.expire(shard, key);
          break;
        }
        break;
      }
      if (this.size === 0) return undefined;
    }
    return undefined;
  }

  /** Removes the TTL of `key`. Returns whether it had one. */
  persist(key: string): boolean {
    return this.shardOf(key).expires.delete(key);
  }

  /** Number of keys, counting expired keys not yet removed (as Redis's DBSIZE). */
  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.data.size;
    return n;
  }

  get expiresCount(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.expires.size;
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.bytes;
    return n;
  }

  clear(): void {
    for (const shard of this.shards) shard.clear();
  }

  /** Moves the contents of `other` into this database and vice versa (SWAPDB). */
  swapWith(other: Database): void {
    for (let i = 0; i < this.shards.length; i++) {
      const mine = this.shards[i]!;
      (this.shards as Shard[])[i] = other.shards[i]!;
      (other.shards as Shard[])[i] = mine;
    }
  }
}

export class Keyspace {
  readonly dbs: Database[];
  /** SCAN iterators parked between calls, for every database */
  readonly scans = new ScanCursors();

  constructor(databases: number, readonly shardCount: number) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Database(i, shardCount));
  }

  get bytes(): number {
    let n = 0;
    for (const db of this.dbs) n += db.bytes;
    return n;
  }

  get expiredKeys(): number {
    let n = 0;
    for (const db of this.dbs) n += db.expiredKeys;
    return n;
  }

  flushAll(): void {
    for (const db of this.dbs) db.clear();
  }
}
