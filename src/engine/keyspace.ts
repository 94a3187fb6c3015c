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
import { AccessClock } from './access-clock.js';
import { Arena } from './arena.js';
import { ScanCursors } from './scan.js';
import { bytesSlot, hashedSlot, hashKey, hashKeyBytes, hashKeySlot, LARGE_STRING, Shard, TAG_MASK, TTL_BIT, T_INT, T_PACKED, T_STR, VTYPE_SHIFT } from './shard.js';
import { packingOf, unpackValue } from './packed-collections.js';
import { keySlot, SLOTS } from './slot.js';
import { latin1 } from '../resp/short-strings.js';
import { VT_KEEP_INT } from './value-type.js';
import { kindOf, type PackedEdit, type Value, type ValueKind } from './values.js';

export { Shard } from './shard.js';

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

/**
 * The databases holding unpacked collections until `settle` (each at most once). Its slots are
 * reused: no array is shrunk and grown again per command.
 */
/** The edit `packBack` asks a packing for (reused). */
const EDIT: PackedEdit = { head: '', from: 0, to: 0, tail: '' };

class SettleQueue {
  readonly dbs: Array<Database | null> = [];
  length = 0;

  add(db: Database): void {
    this.dbs[this.length++] = db;
  }
}

export class Database {
  readonly shards: Shard[];
  private readonly slotShift: number;
  /**
   * How the database is shown where Redis shows its number (keyspace notifications'
   * `__keyspace@<label>__`, CLIENT LIST's `db=`, MONITOR): the number itself for a numbered
   * database, `ns_<name>` for a namespace (so no namespace name can pass for a number).
   */
  readonly label: number | string;

  /**
   * `id`: the index of a numbered database; a namespace (`name` set) has a negative id, unique in
   * the process and never reused (WATCH, blocking and the effects stream key databases by id).
   */
  constructor(
    public readonly id: number,
    shardCount: number,
    readonly stats: KeyspaceStats = new KeyspaceStats(),
    readonly hooks: KeyspaceHooks = { modified: null, expired: null, emptying: null, created: null },
    readonly arena: Arena = new Arena(),
    readonly access: AccessClock = new AccessClock(),
    readonly name: string | null = null,
    /** the databases holding unpacked collections, shared by a keyspace's databases (`settle`) */
    private readonly settling: SettleQueue = new SettleQueue(),
  ) {
    this.label = name === null ? id : `ns_${name}`;
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > SLOTS || (shardCount & (shardCount - 1)) !== 0) {
      throw new RangeError(`shard count must be a power of two from 1 to ${SLOTS}`);
    }
    this.shards = Array.from({ length: shardCount }, () => new Shard(arena));
    this.slotShift = Math.log2(SLOTS / shardCount);
    this.lastShard = this.shards[keySlot('') >> this.slotShift]!;
  }

  /*
   * The packed collections the running command has unpacked or stored (packed-collections.ts):
   * every lookup of such a key in the command returns the same object, and the ones stored or
   * changed are packed back at `settle`. Nearly every command touches one key, so the first is
   * held in the `live*` fields — no Map entry, nothing to clear after each command — with the
   * shard and hash of its record (settle neither hashes the key again nor runs its CRC16); only
   * further keys of a multi-key command (SMOVE, SUNIONSTORE, RENAME…) go to `moreLive`.
   */
  private liveKey: string | null = null;
  private liveValue: Value | null = null;
  /** whether the object in `liveValue` was stored or changed (to pack back) */
  private liveEdited = false;
  private liveShard: Shard | null = null;
  private liveHash = 0;
  /** the packed bytes its record holds (settle skips the rewrite when packing gives them again) */
  private liveBytes: string | null = null;
  /** the objects in hand for the other keys, and which of them to pack back */
  private readonly moreLive = new Map<string, Value>();
  private readonly moreEdited = new Set<string>();
  /** the packed bytes the records of `moreLive`'s keys hold, when known (as liveBytes) */
  private readonly moreBytes = new Map<string, string>();
  /** whether anything is in hand (then this database is in the keyspace's settle queue) */
  private holding = false;

  /** The object for the packed record `a` of `key`: the one in hand, else unpacked and kept. */
  private unpacked(key: string, shard: Shard, a: number): Value {
    if (this.holding) {
      if (key === this.liveKey) return this.liveValue!;
      if (this.moreLive.size !== 0) {
        const v = this.moreLive.get(key);
        if (v !== undefined) return v;
      }
    }
    const bytes = shard.valueOf(a) as string;
    const v = unpackValue(shard.packedIdOf(a), bytes);
    this.keep(key, v, false, shard, this.lastHash, bytes);
    return v;
  }

  /** Holds `v` as the object of `key` (whose record is in `shard`, hashed to `hash`) until settle. */
  private keep(key: string, v: Value, edited: boolean, shard: Shard, hash: number, bytes: string | null): void {
    if (!this.holding) {
      this.holding = true;
      this.settling.add(this);
    } else if (key !== this.liveKey && this.liveKey !== null) {
      this.moreLive.set(key, v);
      if (edited) this.moreEdited.add(key);
      else this.moreEdited.delete(key);
      if (bytes !== null) this.moreBytes.set(key, bytes);
      else this.moreBytes.delete(key);
      return;
    } else if (this.liveKey === null && this.moreLive.size !== 0) {
      // the slot was freed (drop): the key moves to it
      this.moreLive.delete(key);
      this.moreEdited.delete(key);
      this.moreBytes.delete(key);
    }
    this.liveKey = key;
    this.liveValue = v;
    this.liveEdited = edited;
    this.liveShard = shard;
    this.liveHash = hash;
    this.liveBytes = bytes;
  }

  /** Marks the object in hand for `key`, if any, to be packed back; returns whether there was one. */
  private edit(key: string): boolean {
    if (key === this.liveKey) {
      this.liveEdited = true;
      return true;
    }
    if (this.moreLive.size !== 0 && this.moreLive.has(key)) {
      this.moreEdited.add(key);
      return true;
    }
    return false;
  }

  /** Forgets the object in hand for `key` (the key was removed or overwritten). */
  private drop(key: string): void {
    if (!this.holding) return;
    if (key === this.liveKey) {
      this.liveKey = null;
      this.liveValue = null;
      this.liveEdited = false;
      this.liveBytes = null;
    } else if (this.moreLive.size !== 0) {
      this.moreLive.delete(key);
      this.moreEdited.delete(key);
      this.moreBytes.delete(key);
    }
  }

  /** The object in hand for `key`, if any. */
  private inHand(key: string): Value | undefined {
    if (!this.holding) return undefined;
    if (key === this.liveKey) return this.liveValue!;
    return this.moreLive.size === 0 ? undefined : this.moreLive.get(key);
  }

  /**
   * The value of the record `a` of `key` in `shard` without keeping it (SCAN's TYPE filter): the
   * object in hand, or a packed collection unpacked for the caller only.
   */
  valueIn(shard: Shard, a: number, key: string): Value {
    if ((shard.meta(a) & TAG_MASK) !== T_PACKED) return shard.valueOf(a);
    return this.inHand(key) ?? unpackValue(shard.packedIdOf(a), shard.valueOf(a) as string);
  }

  /**
   * Packs every collection the command stored or changed back into its record (or keeps it as
   * an object when it has outgrown its compact form), and lets go of the objects in hand.
   * Called by Keyspace.settle after each command.
   */
  settle(): void {
    if (!this.holding) return;
    this.holding = false;
    const key = this.liveKey;
    if (key !== null) {
      if (this.liveEdited) this.packBack(key, this.liveValue!, this.liveShard!, this.liveHash, this.liveBytes);
      this.liveKey = null;
      this.liveValue = null;
      this.liveEdited = false;
      this.liveShard = null;
      this.liveBytes = null;
    }
    if (this.moreLive.size !== 0) {
      for (const k of this.moreEdited) this.packBack(k, this.moreLive.get(k)!, this.shardOf(k), this.lastHash, this.moreBytes.get(k) ?? null);
      this.moreEdited.clear();
      this.moreLive.clear();
      this.moreBytes.clear();
    }
  }

  /**
   * Stores `v`, the object of `key` (hashed to `hash`, in `shard`), back into its record, unless
   * it packs to `stored`, the bytes the record holds (an HSET of the value a field had).
   */
  private packBack(key: string, v: Value, shard: Shard, hash: number, stored: string | null): void {
    const packing = packingOf(v)!;
    if (stored !== null && packing.packEdit !== undefined && packing.packEdit(v, stored, EDIT)) {
      // only the changed bytes are written: the kept ones stay where they are in the record
      const size = EDIT.head.length + (EDIT.to - EDIT.from) + EDIT.tail.length;
      if (size < LARGE_STRING && shard.repackEdit(key, hash, packing.id, EDIT.head, EDIT.from, EDIT.to, EDIT.tail)) return;
    }
    const bytes = packing.pack(v);
    if (bytes !== null && bytes === stored) return;
    if (bytes !== null && bytes.length < LARGE_STRING) shard.repack(key, hash, bytes, packing.id);
    else shard.repack(key, hash, v, 0);
  }

  /** The last key `shardOf` hashed, its shard and its hash (see `shardAgain`). */
  private lastKey = '';
  private lastShard: Shard;
  private lastHash = hashKey('');

  shardOf(key: string): Shard {
    const hash = hashKeySlot(key);
    const shard = this.shards[hashedSlot >> this.slotShift]!;
    this.lastKey = key;
    this.lastShard = shard;
    this.lastHash = hash;
    return shard;
  }

  /**
   * `shardOf` for the operations that follow one on the same key (INCR's replace after its
   * lookup, APPEND's resize, SET EX's expiry after the set): handed the same string, the check is a
   * pointer comparison and the CRC16 and hash are skipped. Only these check, as comparing two
   * different keys of one length costs a scan of their common prefix.
   */
  private shardAgain(key: string): Shard {
    return key === this.lastKey ? this.lastShard : this.shardOf(key);
  }

  /**
   * The value of `key` at time `now`, or undefined (Redis's lookupKeyWrite). Side effects: a key
   * whose TTL has passed is deleted here (lazy expiry) and counts as expired; the key's access
   * clock is updated (as Redis's lookupKey does for writes too).
   */
  lookupWrite(key: string, now: number): Value | undefined {
    return this.lookup(key, now, true);
  }

  private lookup(key: string, now: number, touch: boolean): Value | undefined {
    const shard = this.shardOf(key);
    const access = this.access;
    access.now = now;
    const a = shard.find(key, this.lastHash);
    if (a === 0) return undefined;
    const meta = shard.meta(a);
    if (meta & TTL_BIT && shard.expiryOf(a) <= now) {
      this.expireFrom(shard, key);
      return undefined;
    }
    const v = (meta & TAG_MASK) === T_PACKED ? this.unpacked(key, shard, a) : shard.valueOf(a);
    if (touch && !access.suppressed) {
      if (access.isShared(v)) access.shared[v] = access.touched(access.shared[v]!, now);
      else shard.setClock(a, access.touched(meta >>> 8, now));
    }
    return v;
  }

  /**
   * As lookupWrite, and counts a keyspace hit or miss (Redis's lookupKeyRead). `touch` false is
   * Redis's LOOKUP_NOTOUCH (TYPE, TTL, EXISTS…, CLIENT NO-TOUCH): the key's access clock is left
   * alone (see access-clock.ts).
   */
  lookupRead(key: string, now: number, touch = true): Value | undefined {
    const v = this.lookup(key, now, touch);
    if (v === undefined) this.stats.misses++;
    else this.stats.hits++;
    return v;
  }

  /*
   * The byte-range forms (GET and SET straight from the request's read buffer, no JS string per
   * key or value: core/dispatch.ts runRange). Each either does exactly what its string form
   * would, or declines (-1 / false) before any side effect, and the caller then runs the
   * ordinary command.
   */

  /** After `lookupBytesRead` found a string: the bytes holding it, [rangeStart, rangeEnd). */
  rangeBytes: Buffer = Buffer.alloc(0);
  rangeStart = 0;
  rangeEnd = 0;
  /** and its typed-value tag (value-type.ts: KV.GETT's type) */
  rangeType = 0;

  /**
   * lookupRead of the key [start, end) of `buf` for GET, when the answer is a plain string or
   * nothing: returns 1 with the value's bytes in rangeBytes/rangeStart/rangeEnd (a keyspace hit,
   * the access clock touched), 0 when the key is missing (a miss). Declines with -1, having
   * counted and changed nothing, when the key has expired (lazy expiry belongs to lookupRead),
   * holds another encoding (an integer, a collection, a MutableString…: readOf decides), or
   * when CLIENT NO-TOUCH suppresses the access clock.
   */
  lookupBytesRead(buf: Uint8Array, start: number, end: number, now: number): number {
    const access = this.access;
    if (access.suppressed || this.holding) return -1;
    const hash = hashKeyBytes(buf, start, end);
    const shard = this.shards[bytesSlot >> this.slotShift]!;
    const a = shard.findBytes(buf, start, end, hash);
    if (a === 0) {
      access.now = now;
      this.stats.misses++;
      return 0;
    }
    const meta = shard.meta(a);
    if ((meta & TAG_MASK) !== T_STR || (meta & TTL_BIT && shard.expiryOf(a) <= now)) return -1;
    access.now = now;
    shard.setClock(a, access.touched(meta >>> 8, now));
    this.stats.hits++;
    const from = shard.strStart(a);
    this.rangeBytes = shard.pageBytes(a);
    this.rangeStart = from;
    this.rangeEnd = from + shard.strLength(a);
    this.rangeType = (meta >>> VTYPE_SHIFT) & 7;
    return 1;
  }

  /**
   * set(key, value) for the key [ks, ke) and value [vs, ve) of `buf` (SET key value without
   * options; KV.SETT of a String or Bytes value: `vtype`): the value stored as its bytes with
   * the typed-value tag `vtype`, any TTL removed. Declines (false, nothing changed)
   * when the value would not be stored as plain bytes — text Redis encodes as an integer (it
   * starts with a digit or '-' and is short enough), or more than LARGE_STRING bytes.
   */
  setBytes(buf: Uint8Array, ks: number, ke: number, vs: number, ve: number, vtype = 0): boolean {
    const n = ve - vs;
    if (n > LARGE_STRING || this.holding) return false;
    if (n !== 0 && n <= 20) {
      const c = buf[vs]!;
      if ((c >= 48 && c <= 57) || c === 45) return false;
    }
    const hash = hashKeyBytes(buf, ks, ke);
    const shard = this.shards[bytesSlot >> this.slotShift]!;
    const access = this.access;
    const created = shard.putBytes(buf, ks, ke, hash, vs, ve, access.fresh(access.now), access.lfu, vtype);
    const hooks = this.hooks;
    if (hooks.modified !== null || (created && hooks.created !== null)) {
      const key = latin1(buf as Buffer, ks, ke);
      if (created && hooks.created !== null) hooks.created(this, key);
      this.modified(key);
    } else {
      this.stats.dirty++;
    }
    return true;
  }

  /**
   * INCRBY's write for the key [start, end) of `buf` (INCR and DECR from the read buffer): the
   * integer it holds (0 when missing) plus `incr`, stored back keeping its TTL — exactly what
   * lookupWrite then replace (or set, for a new key) would do: the access clock touched (the
   * shared integer's, for a value Redis shares), INT kept as the typed-value tag, `dirty` counted
   * and the hooks called. Returns the sum, or null — having changed and counted nothing — when
   * only the ordinary path does it right: a key that has expired (lazy expiry), a value that is
   * not held as an integer (text, a bigint, another type: parsing, WRONGTYPE), a sum that is not
   * a safe integer (BigInt arithmetic, the overflow error), collections in hand, NO-TOUCH.
   */
  incrBytes(buf: Uint8Array, start: number, end: number, incr: number, now: number): number | null {
    const access = this.access;
    if (access.suppressed || this.holding) return null;
    const hash = hashKeyBytes(buf, start, end);
    const shard = this.shards[bytesSlot >> this.slotShift]!;
    const a = shard.findBytes(buf, start, end, hash);
    let sum: number;
    let created = false;
    if (a === 0) {
      sum = incr;
      access.now = now;
      shard.createIntBytes(buf, start, end, hash, sum, access.fresh(now));
      created = true;
    } else {
      const meta = shard.meta(a);
      if ((meta & TAG_MASK) !== T_INT || (meta & TTL_BIT && shard.expiryOf(a) <= now)) return null;
      const old = shard.intOf(a);
      sum = old + incr;
      if (!Number.isSafeInteger(sum)) return null;
      access.now = now;
      // lookupWrite's touch: a shared integer's clock, else the record's; replace keeps the record's
      let clock = meta >>> 8;
      if (access.isShared(old)) access.shared[old] = access.touched(access.shared[old]!, now);
      else clock = access.touched(clock, now);
      shard.setIntKeepInt(a, sum, clock);
    }
    const hooks = this.hooks;
    if (hooks.modified !== null || (created && hooks.created !== null)) {
      const key = latin1(buf as Buffer, start, end);
      if (created && hooks.created !== null) hooks.created(this, key);
      this.modified(key);
    } else {
      this.stats.dirty++;
    }
    return sum;
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

  /**
   * The typed-value tag of `key` (value-type.ts), BYTES when it is missing. No side effect:
   * call it after a lookup of the same key (which did the lazy expiry).
   */
  valueTypeOf(key: string): number {
    const shard = this.shardAgain(key);
    const a = shard.find(key, this.lastHash);
    return a === 0 ? 0 : shard.valueType(a);
  }

  /** Whether `key` is stored, expired or not: no lazy expiry, no statistics, no touch (WATCH). */
  stored(key: string): boolean {
    return this.shardOf(key).find(key, this.lastHash) !== 0;
  }

  /**
   * The access clock field of `key` (access-clock.ts: LRU seconds or LFU counter), or undefined
   * when it is missing. No side effect (OBJECT IDLETIME / FREQ look the key up first).
   */
  accessOf(key: string): number | undefined {
    const shard = this.shardOf(key);
    const a = shard.find(key, this.lastHash);
    if (a === 0) return undefined;
    const v = shard.valueOf(a);
    return this.access.isShared(v) ? this.access.shared[v]! : shard.meta(a) >>> 8;
  }

  /** Sets the access clock field of `key` (RESTORE … IDLETIME / FREQ); a missing key is ignored. */
  setAccessOf(key: string, field: number): void {
    const shard = this.shardOf(key);
    const a = shard.find(key, this.lastHash);
    if (a === 0) return;
    const v = shard.valueOf(a);
    if (this.access.isShared(v)) this.access.shared[v] = field;
    else shard.setClock(a, field);
  }

  /** Counts a change of `key` (null: every key) and calls the modification hook. */
  private modified(key: string | null): void {
    this.stats.dirty++;
    this.signal(key);
  }

  /** Calls the modification hook for `key` (null: every key) without counting a change. */
  private signal(key: string | null): void {
    const hook = this.hooks.modified;
    if (hook !== null) hook(this, key);
  }

  /**
   * Stores `value` at `key`. Unless `keepTtl`, any TTL the key had is removed (as Redis's SET), or
   * replaced by `expireAt` (ms) when given. The key's typed-value tag becomes `vtype`
   * (value-type.ts: BYTES unless said otherwise).
   */
  set(key: string, value: Value, keepTtl = false, vtype = 0, expireAt?: number): void {
    const created = this.store(key, value, keepTtl, vtype);
    // a TTL given with the value is part of the same change (SET … EX, COPY, RESTORE: one change)
    if (expireAt !== undefined) {
      const shard = this.shardAgain(key);
      shard.setExpiry(shard.find(key, this.lastHash), expireAt);
    }
    if (created && this.hooks.created !== null) this.hooks.created(this, key);
    this.modified(key);
  }

  /**
   * Stores `value` at `key`, which holds the same value for a client in another form (APPEND and
   * SETRANGE turn a shared string into a mutable one before editing it), keeping its TTL, without
   * counting a change or calling the hook: the edit that follows (`changed`) does both.
   */
  convert(key: string, value: Value): void {
    this.store(key, value, true, 0);
  }

  /** set's storing part: whether the key was created. */
  private store(key: string, value: Value, keepTtl: boolean, vtype: number): boolean {
    const shard = this.shardOf(key);
    const access = this.access;
    let created: boolean;
    const packing = packingOf(value);
    const bytes = packing === undefined ? null : packing.pack(value);
    if (bytes !== null && bytes.length < LARGE_STRING) {
      created = shard.put(key, this.lastHash, bytes, keepTtl, access.fresh(access.now), access.lfu, vtype, packing!.id);
      // the caller may go on editing the object it stored: pack it again at settle
      this.keep(key, value, true, shard, this.lastHash, bytes);
    } else {
      this.drop(key);
      created = shard.put(key, this.lastHash, value, keepTtl, access.fresh(access.now), access.lfu, vtype);
    }
    return created;
  }

  /**
   * Replaces the value of `key`, which a lookup just returned as `old`, keeping its TTL: the
   * read-modify-write commands (INCR…) skip the CRC16 and the hash of the key. The typed-value
   * tag becomes `vtype` (BYTES unless said otherwise; VT_KEEP_INT keeps an INT tag: INCR).
   */
  replace(key: string, old: Value, value: Value, vtype = 0): void {
    this.drop(key);
    const shard = this.shardAgain(key);
    // INCR's integer for an integer: rewritten in its record, the same size (what put's overwrite
    // would do, without classifying, sizing and placing the record again)
    if (typeof value === 'number' && typeof old === 'number' && vtype === VT_KEEP_INT) {
      const a = shard.find(key, this.lastHash);
      if (a !== 0 && (shard.meta(a) & TAG_MASK) === T_INT) {
        shard.setIntKeepInt(a, value, shard.meta(a) >>> 8);
        this.modified(key);
        return;
      }
    }
    shard.put(key, this.lastHash, value, true, 0, true, vtype);
    this.modified(key);
  }

  /**
   * Tells the keyspace that the value stored at `key` was edited in place (APPEND, SETRANGE, a
   * push onto a list, a field added to a hash…), its size changing by `delta` bytes. Every
   * in-place edit must be followed by this call: it is the write path for them.
   */
  changed(key: string, delta = 0): void {
    if (!(this.holding && this.edit(key)) && delta !== 0) this.shardAgain(key).resized(delta);
    this.modified(key);
  }

  /**
   * Counts `n` more changes for the write a command just made (Redis's `server.dirty += n`: PFADD
   * counts a change per register it raised, RPUSH one per element…), beyond the one that write
   * counted. No hook: the write signalled already.
   */
  countChanges(n: number): void {
    this.stats.dirty += n;
  }

  /**
   * Accounts `delta` bytes for the value at `key` (which a lookup just returned) changing its
   * encoding and nothing else a client can see (SORT converting a sorted set to a skiplist, as
   * Redis's zsetConvert): no modification hook, no dirty count.
   */
  reencoded(key: string, delta: number): void {
    if (!(this.holding && this.edit(key)) && delta !== 0) this.shardAgain(key).resized(delta);
  }

  /**
   * Removes `key`. Returns whether it was there (expired keys are not removed here: lookup first).
   * `counted: false` when the removal is part of a change counted by what follows (COPY REPLACE's
   * removal of the old destination, then its set: one change, as Redis).
   */
  delete(key: string, counted = true): boolean {
    const shard = this.shardOf(key);
    const a = shard.find(key, this.lastHash);
    if (a === 0) return false;
    shard.removeFound(a);
    this.drop(key);
    if (counted) this.modified(key);
    else this.signal(key);
    return true;
  }

  /** Removes `key` as expired (active expiry; lazy expiry in lookupWrite). */
  expire(shard: Shard, key: string): void {
    this.expireFrom(shard, key);
  }

  /** Expiry is not a change the command made: it counts no `dirty` (as Redis), but signals. */
  private expireFrom(shard: Shard, key: string): void {
    const a = shard.find(key, hashKey(key));
    if (a === 0) return;
    shard.removeFound(a);
    this.drop(key);
    this.stats.expired++;
    const hooks = this.hooks;
    if (hooks.expired !== null) hooks.expired(this, key);
    if (hooks.modified !== null) hooks.modified(this, key);
  }

  /** The absolute expiry time of `key` in ms, or undefined when it has none. */
  expireAt(key: string): number | undefined {
    const shard = this.shardOf(key);
    if (shard.ttlCount === 0) return undefined;
    const a = shard.find(key, this.lastHash);
    return a !== 0 && shard.meta(a) & TTL_BIT ? shard.expiryOf(a) : undefined;
  }

  /** Sets the absolute expiry time of an existing key. */
  setExpire(key: string, at: number): void {
    const shard = this.shardAgain(key);
    const a = shard.find(key, this.lastHash);
    if (a === 0) return;
    shard.setExpiry(a, at);
    this.modified(key);
  }

  /**
   * Moves the value and TTL of `from` (which must be present: lookup it first) to `to` in `dst`
   * (possibly this database), replacing whatever `to` held there, TTL included. RENAME and MOVE.
   */
  moveTo(from: string, dst: Database, to: string): void {
    const shard = this.shardOf(from);
    const a = shard.find(from, this.lastHash);
    if (a === 0) return;
    const value = this.valueIn(shard, a, from);
    const at = shard.meta(a) & TTL_BIT ? shard.expiryOf(a) : undefined;
    const vtype = shard.valueType(a);
    shard.removeFound(a);
    this.drop(from);
    // one change, as Redis's RENAME and MOVE count it, with both keys signalled
    this.signal(from);
    dst.set(to, value, false, vtype, at);
  }

  /**
   * A random key that is not expired at `now`, or undefined when there is none. Side effect:
   * expired keys it lands on are removed (as Redis's RANDOMKEY does), at most `tries` of them.
   */
  randomKey(now: number, tries = 100): string | undefined {
    for (let attempt = 0; attempt < tries; attempt++) {
      const total = this.size;
      if (total === 0) return undefined;
      let pick = Math.floor(Math.random() * total);
      for (const shard of this.shards) {
        if (pick >= shard.count) {
          pick -= shard.count;
          continue;
        }
        const a = shard.randomAddress(Math.random);
        const key = shard.keyOf(a);
        if ((shard.meta(a) & TTL_BIT) === 0 || shard.expiryOf(a) > now) return key;
        this.expire(shard, key);
        break;
      }
    }
    return undefined;
  }

  /** Removes the TTL of `key`. Returns whether it had one. */
  persist(key: string): boolean {
    const shard = this.shardOf(key);
    if (shard.ttlCount === 0) return false;
    const a = shard.find(key, this.lastHash);
    if (a === 0 || (shard.meta(a) & TTL_BIT) === 0) return false;
    shard.clearExpiry(a);
    this.modified(key);
    return true;
  }

  /** Number of keys, counting expired keys not yet removed (as Redis's DBSIZE). */
  get size(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.count;
    return n;
  }

  get expiresCount(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.ttlCount;
    return n;
  }

  /** The dataset's accounting: keys and values (used_memory_dataset, MEMORY USAGE). */
  get bytes(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.bytes;
    return n;
  }

  /** Bytes of the shards' indexes (bucket tables and TTL indexes). */
  get indexBytes(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.indexBytes;
    return n;
  }

  /** The logical size of the values held by handle (collections, MutableStrings, large strings). */
  get handleBytes(): number {
    let n = 0;
    for (const shard of this.shards) n += shard.handleBytes;
    return n;
  }

  /**
   * Mean remaining TTL in ms at `now`, estimated from the first `perShard` keys of each shard's
   * TTL index (INFO keyspace's avg_ttl: an estimate, as Redis's is, at bounded cost).
   */
  averageTtl(now: number, perShard = 16): number {
    let sum = 0;
    let n = 0;
    for (const shard of this.shards) {
      const end = Math.min(shard.ttlCount, perShard);
      for (let i = 0; i < end; i++) {
        sum += Math.max(0, shard.expiryOf(shard.ttl[i]!) - now);
        n++;
      }
    }
    return n === 0 ? 0 : Math.floor(sum / n);
  }

  /** Removes every key (FLUSHDB). Returns how many there were. */
  clear(): number {
    const n = this.size;
    if (this.hooks.emptying !== null) this.hooks.emptying(this, null);
    for (const shard of this.shards) shard.clear();
    // the objects in hand belonged to the records just removed (settle finds none of them)
    this.liveKey = null;
    this.liveValue = null;
    this.liveEdited = false;
    this.liveBytes = null;
    this.moreLive.clear();
    this.moreEdited.clear();
    this.moreBytes.clear();
    this.arena.resetIfEmpty();
    // as Redis: a flush counts its keys as changes (none when it was empty: FLUSHDB/FLUSHALL
    // propagate by themselves), and signals every key even when empty
    this.stats.dirty += n;
    this.signal(null);
    return n;
  }

  /** Moves the contents of `other` into this database and vice versa (SWAPDB). */
  swapWith(other: Database): void {
    // the objects in hand belong to the records, which change databases: pack them back first
    this.settle();
    other.settle();
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
    this.lastKey = other.lastKey = '';
    this.lastShard = this.shards[keySlot('') >> this.slotShift]!;
    other.lastShard = other.shards[keySlot('') >> other.slotShift]!;
    // one change, as Redis's SWAPDB counts it; both databases are signalled
    this.stats.dirty++;
    this.signal(null);
    other.signal(null);
  }
}

/** Namespace names: 1-64 bytes of letters, digits and `_ . : -`. */
const NAMESPACE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isNamespaceName(name: string): boolean {
  return NAMESPACE_NAME.test(name);
}

export class Keyspace {
  readonly dbs: Database[];
  /** the named databases (KV.NS), by name, in creation order */
  readonly namespaces = new Map<string, Database>();
  /** the namespaces by id (negative) */
  private readonly namespaceIds = new Map<number, Database>();
  private nextNamespaceId = -1;
  /** the numbered databases then the namespaces: what flushes, memory and active expiry cover */
  all: Database[];
  /** SCAN's cursors (stateless: the cursor is the position) */
  readonly scans = new ScanCursors();
  /** every database's records */
  readonly arena = new Arena();
  /** the access clock's policy (LRU or LFU) and parameters, shared by every database */
  readonly access = new AccessClock();

  readonly stats = new KeyspaceStats();
  readonly hooks: KeyspaceHooks = { modified: null, expired: null, emptying: null, created: null };

  /** the databases holding unpacked collections until `settle` */
  private readonly settling = new SettleQueue();

  constructor(databases: number, readonly shardCount: number) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Database(i, shardCount, this.stats, this.hooks, this.arena, this.access, null, this.settling));
    this.all = this.dbs;
  }

  /** The namespace `name` (which must be a valid name), created empty when it does not exist. */
  namespace(name: string): Database {
    let db = this.namespaces.get(name);
    if (db === undefined) {
      db = new Database(this.nextNamespaceId--, this.shardCount, this.stats, this.hooks, this.arena, this.access, name, this.settling);
      this.namespaces.set(name, db);
      this.namespaceIds.set(db.id, db);
      this.all = [...this.dbs, ...this.namespaces.values()];
    }
    return db;
  }

  /** The numbered database or namespace with this id, or undefined (a dropped namespace). */
  byId(id: number): Database | undefined {
    return id >= 0 ? this.dbs[id] : this.namespaceIds.get(id);
  }

  /**
   * Removes every key of namespace `name` (as FLUSHDB there) and, unless `keep` (a connection
   * still uses it), the namespace itself. Returns how many keys it held, or -1 when it does not
   * exist.
   */
  dropNamespace(name: string, keep: boolean): number {
    const db = this.namespaces.get(name);
    if (db === undefined) return -1;
    const n = db.clear();
    if (!keep) {
      this.namespaces.delete(name);
      this.namespaceIds.delete(db.id);
      this.all = [...this.dbs, ...this.namespaces.values()];
    }
    return n;
  }

  /**
   * Packs back the small collections the last command unpacked or stored (packed-collections.ts).
   * Dispatch calls it after every command; with none in hand it costs a length check.
   */
  settle(): void {
    const queue = this.settling;
    const n = queue.length;
    if (n === 0) return;
    const dbs = queue.dbs;
    for (let i = 0; i < n; i++) {
      dbs[i]!.settle();
      dbs[i] = null;
    }
    queue.length = 0;
  }

  /**
   * A change to the dataset that lives beside the keys (FUNCTION LOAD/DELETE/FLUSH/RESTORE): it
   * counts `dirty`, as Redis's `server.dirty++`, so the command propagates and counts as unsaved.
   */
  datasetChanged(): void {
    this.stats.dirty++;
  }

  get bytes(): number {
    let n = 0;
    for (const db of this.all) n += db.bytes;
    return n;
  }

  /**
   * The keyspace's memory, exactly where it can be: the arena's pages, every shard's index, the
   * handle table, plus the estimate of the values held by handle (collections).
   */
  get memory(): number {
    let n = this.arena.pageBytes + this.arena.handleTableBytes;
    for (const db of this.all) n += db.indexBytes + db.handleBytes;
    return n;
  }

  /** The keys' and values' share of `memory`: the chunks records occupy and the collections' estimate. */
  get datasetBytes(): number {
    let n = this.arena.usedBytes;
    for (const db of this.all) n += db.handleBytes;
    return n;
  }

  /** Removes every key of every database and namespace (FLUSHALL; the namespaces stay). */
  flushAll(): void {
    for (const db of this.all) db.clear();
  }
}
