/*
 * The keyspace: databases, each split into shards by the key's cluster hash slot, so that a
 * shard is a contiguous range of slots that cluster mode can later move whole. A shard holds its
 * keys, its expiry index (only keys with a TTL appear there) and its share of memory accounting.
 * Sharding also lifts V8's limit of 2^24 entries per Map.
 *
 * Reads go through `lookupRead` / `lookupWrite` (Redis's lookupKeyRead / lookupKeyWrite: lazy
 * expiry; the read form counts keyspace hits and misses) or their typed forms `readOf` / `writeOf`,
 * whose result is the value, undefined (missing) or WRONGTYPE.
 *
 * The one write path: every change to the keyspace goes through this file's write methods — `set`,
 * `replace`, `changed` (a value edited in place: APPEND, LPUSH onto a list…), `delete`,
 * `setExpire`, `persist`, `moveTo`, `clear`, `swapWith`, and expiry. Each counts `dirty` and calls
 * the modification hook with the database and key (null: every key, for flushes and swaps), as
 * Redis's signalModifiedKey / touchAllWatchedKeysInDb: WATCH, blocking wake-ups, keyspace
 * notifications, tracking and persistence attach there. With no hook set it costs a null check.
 */
import { ScanCursors } from './scan.js';
import { keySlot, SLOTS } from './slot.js';
import { kindOf, sizeOf, type Value, type ValueKind } from './values.js';
import { AccessPolicy, type AccessStore } from './access-clock.js';

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

/** A typed lookup's answer when the key holds another kind of value. */
export const WRONGTYPE: unique symbol = Symbol('WRONGTYPE');
export type WrongType = typeof WRONGTYPE;

/** Counters shared by every database of a keyspace (INFO stats). */
export class KeyspaceStats {
  /** reads that found their key / did not (lookupRead) */
  hits = 0;
  misses = 0;
  /** keys removed by lazy or active expiry */
  expired = 0;
  /** changes since start (INFO rdb_changes_since_last_save; the effects stream reads it) */
  dirty = 0;
}

/** Where the write path reports. Set by the server; null costs nothing. */
export interface KeyspaceHooks {
  /** after every modification of `key` in `db` (null: every key of `db`) */
  modified: ((db: Database, key: string | null) => void) | null;
  /** when lazy or active expiry removes `key` (before `modified`): propagated as DEL */
  expired: ((db: Database, key: string) => void) | null;
  /**
   * Before `db` loses all its keys: a flush (`replacedWith` null) or SWAPDB (`replacedWith` is
   * the database whose keys it receives). Unlike `modified(db, null)`, which follows the change,
   * this lets WATCH see which keys existed (Redis's touchAllWatchedKeysInDb).
   */
  emptying: ((db: Database, replacedWith: Database | null) => void) | null;
  /** when `set` adds a key that was not there (the `new` keyspace event), before `modified` */
  created: ((db: Database, key: string) => void) | null;
}

export class Database {
  readonly shards: Shard[];
  private readonly slotShift: number;
  /**
   * Each key's access clock (access-clock.ts), or null when this keyspace keeps none (the heap
   * keyspace of today: OBJECT IDLETIME / FREQ then answer as for a key just written).
   */
  access: AccessStore | null = null;

  constructor(
    public readonly id: number,
    shardCount: number,
    readonly stats: KeyspaceStats = new KeyspaceStats(),
    readonly hooks: KeyspaceHooks = { modified: null, expired: null, emptying: null, created: null },
    readonly policy: AccessPolicy = new AccessPolicy(),
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
   * The value of `key` at time `now`, or undefined (Redis's lookupKeyWrite). Side effects: a key
   * whose TTL has passed is deleted here (lazy expiry) and counts as expired; a key found is
   * touched (its access clock, when kept).
   */
  lookupWrite(key: string, now: number): Value | undefined {
    const v = this.find(key, now);
    if (v !== undefined && this.access !== null && !this.policy.suppressed) this.touch(key, now);
    return v;
  }

  /** The value of `key` at `now` after lazy expiry; no statistics, no touch. */
  private find(key: string, now: number): Value | undefined {
    const shard = this.shardOf(key);
    if (shard.expires.size !== 0) {
      const at = shard.expires.get(key);
      if (at !== undefined && at <= now) {
        this.expireFrom(shard, key);
        return undefined;
      }
    }
    return shard.data.get(key);
  }

  /**
   * As lookupWrite, and counts a keyspace hit or miss (Redis's lookupKeyRead). `touch` false is
   * Redis's LOOKUP_NOTOUCH (TYPE, TTL, EXISTS…; CLIENT NO-TOUCH clients via the policy): the
   * key's access clock is left alone (see access-clock.ts).
   */
  lookupRead(key: string, now: number, touch = true): Value | undefined {
    const v = this.find(key, now);
    if (v === undefined) this.stats.misses++;
    else {
      this.stats.hits++;
      if (touch && this.access !== null && !this.policy.suppressed) this.touch(key, now);
    }
    return v;
  }

  /** Stamps an access of `key` at `now` on its access clock (a store is present). */
  private touch(key: string, now: number): void {
    const access = this.access!;
    const policy = this.policy;
    access.set(key, policy.touched(access.get(key) ?? policy.initial(now), now));
  }

  /** A new value at `key`: a fresh clock, except that LFU keeps the counter of a value replaced (Redis's dbOverwrite). */
  private stampNew(key: string, old: Value | undefined): void {
    const access = this.access!;
    const policy = this.policy;
    const kept = old !== undefined && policy.lfu ? access.get(key) : undefined;
    access.set(key, kept ?? policy.initial(policy.now));
  }

  /** The access clock field of `key` (present: look it up first) as of `now`, for OBJECT and DEBUG OBJECT. */
  accessField(key: string, now: number): number {
    return this.access?.get(key) ?? this.policy.initial(now);
  }

  /** lookupRead of a value of `kind`: the value, undefined when missing, or WRONGTYPE. */
  readOf<V>(key: string, kind: ValueKind<V>, now: number): V | undefined | WrongType {
    const v = this.lookupRead(key, now);
    if (v === undefined) return undefined;
    return kindOf(v) === kind ? (v as V) : WRONGTYPE;
  }

  /** lookupWrite of a value of `kind`: the value, undefined when missing, or WRONGTYPE. */
  writeOf<V>(key: string, kind: ValueKind<V>, now: number): V | undefined | WrongType {
    const v = this.lookupWrite(key, now);
    if (v === undefined) return undefined;
    return kindOf(v) === kind ? (v as V) : WRONGTYPE;
  }

  /** Counts a change of `key` (null: every key) and calls the modification hook. */
  private modified(key: string | null): void {
    this.stats.dirty++;
    const hook = this.hooks.modified;
    if (hook !== null) hook(this, key);
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
    if (this.access !== null) this.stampNew(key, old);
    if (old === undefined && this.hooks.created !== null) this.hooks.created(this, key);
    this.modified(key);
  }

  /**
   * Replaces the value of `key`, which a lookup just returned as `old`, keeping its TTL: the
   * read-modify-write commands (INCR…) skip `set`'s second lookup of the old value.
   */
  replace(key: string, old: Value, value: Value): void {
    const shard = this.shardAgain(key);
    shard.data.set(key, value);
    shard.bytes += sizeOf(value) - sizeOf(old);
    this.modified(key);
  }

  /**
   * Tells the keyspace that the value stored at `key` was edited in place (APPEND, SETRANGE, a
   * push onto a list, a field added to a hash…), its size changing by `delta` bytes. Every
   * in-place edit must be followed by this call: it is the write path for them.
   */
  changed(key: string, delta = 0): void {
    if (delta !== 0) this.shardAgain(key).bytes += delta;
    this.modified(key);
  }

  /** Removes `key`. Returns whether it was there (expired keys are not removed here: lookup first). */
  delete(key: string): boolean {
    const shard = this.shardOf(key);
    if (!shard.data.has(key)) return false;
    this.removeFrom(shard, key);
    this.modified(key);
    return true;
  }

  /** Removes `key` as expired (active expiry; lazy expiry in lookupWrite). */
  expire(shard: Shard, key: string): void {
    this.expireFrom(shard, key);
  }

  /** Expiry is not a change the command made: it counts no `dirty` (as Redis), but signals. */
  private expireFrom(shard: Shard, key: string): void {
    this.removeFrom(shard, key);
    this.stats.expired++;
    const hooks = this.hooks;
    if (hooks.expired !== null) hooks.expired(this, key);
    if (hooks.modified !== null) hooks.modified(this, key);
  }

  private removeFrom(shard: Shard, key: string): void {
    const old = shard.data.get(key);
    if (old === undefined) return;
    shard.data.delete(key);
    shard.bytes -= sizeOf(old) + ENTRY_OVERHEAD + key.length;
    if (shard.expires.size !== 0) shard.expires.delete(key);
    if (this.access !== null) this.access.delete(key);
  }

  /** The absolute expiry time of `key` in ms, or undefined when it has none. */
  expireAt(key: string): number | undefined {
    const shard = this.shardOf(key);
    return shard.expires.size === 0 ? undefined : shard.expires.get(key);
  }

  /** Sets the absolute expiry time of an existing key. */
  setExpire(key: string, at: number): void {
    this.shardAgain(key).expires.set(key, at);
    this.modified(key);
  }

  /**
   * Moves the value and TTL of `from` (which must be present: lookup it first) to `to` in `dst`
   * (possibly this database), replacing whatever `to` held there, TTL included. RENAME and MOVE.
   */
  moveTo(from: string, dst: Database, to: string): void {
    const shard = this.shardOf(from);
    const value = shard.data.get(from)!;
    const at = shard.expires.size === 0 ? undefined : shard.expires.get(from);
    // the value keeps its access clock, as Redis moves the object itself
    const field = this.access === null ? undefined : this.access.get(from);
    this.removeFrom(shard, from);
    this.modified(from);
    dst.set(to, value);
    if (field !== undefined && dst.access !== null) dst.access.set(to, field);
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
    if (!this.shardOf(key).expires.delete(key)) return false;
    this.modified(key);
    return true;
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

  /** Removes every key (FLUSHDB). Returns how many there were. */
  clear(): number {
    const n = this.size;
    if (this.hooks.emptying !== null) this.hooks.emptying(this, null);
    for (const shard of this.shards) shard.clear();
    if (this.access !== null) this.access.clear();
    // as Redis: a flush counts its keys as changes, and signals every key even when empty
    this.stats.dirty += n;
    this.modified(null);
    return n;
  }

  /** Moves the contents of `other` into this database and vice versa (SWAPDB). */
  swapWith(other: Database): void {
    const emptying = this.hooks.emptying;
    if (emptying !== null) {
      emptying(this, other);
      emptying(other, this);
    }
    for (let i = 0; i < this.shards.length; i++) {
      const mine = this.shards[i]!;
      (this.shards as Shard[])[i] = other.shards[i]!;
      (other.shards as Shard[])[i] = mine;
    }
    const access = this.access;
    this.access = other.access;
    other.access = access;
    this.modified(null);
    other.modified(null);
  }
}

export class Keyspace {
  readonly dbs: Database[];
  /** SCAN iterators parked between calls, for every database */
  readonly scans = new ScanCursors();

  readonly stats = new KeyspaceStats();
  readonly hooks: KeyspaceHooks = { modified: null, expired: null, emptying: null, created: null };
  /** how access clocks are stamped and read, shared by every database */
  readonly policy = new AccessPolicy();

  constructor(databases: number, readonly shardCount: number) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Database(i, shardCount, this.stats, this.hooks, this.policy));
  }

  /** Gives every database an access clock store (the tests' MapAccessStore; the off-heap keyspace its headers). */
  keepAccessClocks(store: () => AccessStore): void {
    for (const db of this.dbs) db.access = store();
    this.policy.tracked = true;
  }

  get bytes(): number {
    let n = 0;
    for (const db of this.dbs) n += db.bytes;
    return n;
  }

  /** Removes every key of every database (FLUSHALL). */
  flushAll(): void {
    for (const db of this.dbs) db.clear();
  }
}
