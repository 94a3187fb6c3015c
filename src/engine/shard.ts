/*
 * A shard of a database: its records in the arena, the hash index over them, its expiry index
 * and its share of memory accounting. No JS object per key or per string value.
 *
 * A record, 4-byte aligned words then bytes (all little-endian u32):
 *
 *   word 0  next      address of the next record in this bucket's chain (0: end)
 *   word 1  hash      the key's 32-bit hash (chains are compared and rehashed without the key)
 *   word 2  meta      bits 0-1 the value's tag (PACKED, STR, INT, HANDLE), bit 2 a TTL follows,
 *                     bits 3-5 the typed-value tag (value-type.ts: BYTES 0, STRING, INT, FLOAT,
 *                     DECIMAL; kept whatever the value's encoding), bits 6-7 free,
 *                     bits 8-31 the 24-bit access clock (access-clock.ts)
 *   word 3  keyLen
 *   word 4  valLen    STR: the value's byte length; HANDLE: the handle (arena.handles)
 *   [word 5-6  expiry time in ms (float64 bits), word 7  position in the shard's TTL index]
 *   key bytes, then the value: STR its bytes; PACKED a small collection's bytes, its kind's id
 *   first (packed-collections.ts); INT a float64 (exact for the integers Redis encodes as `int`
 *   within ±2^53) at the next 4-byte boundary; HANDLE nothing.
 *
 * A key "key:123456" with a 10-byte value takes 20 + 10 + 10 = 40 bytes, plus its bucket's 4.
 *
 * The index is a chained hash table of record addresses in a Uint32Array of a power-of-two size,
 * as Redis's dict: it doubles when it holds as many keys as buckets and halves down to the
 * smallest power of two above its keys when under an eighth full, and every resize is
 * incremental — a second table is allocated and each later operation on the shard moves one
 * bucket (visiting at most ten empty ones) until the old table is empty. Lookups meanwhile search
 * both tables; inserts go to the new one. Records never move during a rehash (only their `next`
 * word changes), so SCAN's reverse-binary cursor (scan.ts) keeps Redis's guarantee across resizes.
 *
 * A record stays in its chunk while its size keeps it in the same size class (an overwrite with a
 * value of similar length, an integer replaced by another, a TTL set on a key with room to
 * spare); otherwise it is copied to a chunk of its new class and its bucket (or predecessor) and
 * TTL index entry are repointed.
 *
 * The expiry index: the addresses of the shard's records that carry a TTL, packed in a
 * Uint32Array (removal moves the last one into the hole; the record knows its position). Keys
 * without a TTL cost nothing in it.
 */
import { Arena, byteOf, chunkBytes, pageOf, wordOf } from './arena.js';
import { latin1 } from '../resp/short-strings.js';
import { sizeOf, type Value } from './values.js';
import { VT_INT, VT_KEEP_INT } from './value-type.js';
import { CRC16_TABLE, CRC16_TABLE2, keySlot, keySlotBytes, SLOTS } from './slot.js';

/** Strings longer than this live in the handle table (their own JS string), not in a page. */
export const LARGE_STRING = 64 * 1024;

/** Logical bytes a key costs beyond its value, for the dataset accounting (as before: a Map entry). */
export const ENTRY_OVERHEAD = 48;

/** a small collection's packed bytes (packed-collections.ts); laid out as STR */
export const T_PACKED = 0;
export const T_STR = 1;
export const T_INT = 2;
export const T_HANDLE = 3;
export const TAG_MASK = 3;
export const TTL_BIT = 4;
/** the typed-value tag's bits in meta (value-type.ts) */
export const VTYPE_SHIFT = 3;
const VTYPE_MASK = 7 << VTYPE_SHIFT;
const HEADER = 20;
const HEADER_TTL = 32;
const MIN_TABLE = 4;

const f64 = new Float64Array(1);
const f64w = new Uint32Array(f64.buffer);
const EMPTY = new Uint32Array(0);

/**
 * The 32-bit hash of a key's bytes (FNV-1a over the chars, then murmur3's finaliser). Two chars
 * per step, the same hash: a charCodeAt costs ~25 instructions in V8's optimised code, and the
 * loop's own work per char a few more (~13% of a 20-char member's hash; large sets and hashes
 * hash every member they are handed, entry-table.ts).
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  const n = key.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = Math.imul(Math.imul(h ^ key.charCodeAt(i), 0x01000193) ^ key.charCodeAt(i + 1), 0x01000193);
  if (i < n) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash slot of the key `hashKeySlot` hashed last (keySlot of it). */
export let hashedSlot = 0;

/**
 * hashKey of `key`, and, in the same pass over its chars, its cluster hash slot into
 * `hashedSlot`: every key of every command is hashed and slotted, and one loop reading each char
 * once costs about half of hashKey and keySlot run one after the other. The CRC16 takes two chars
 * per step (slot.ts); a key holding a `{` (a hash tag, maybe) is left to keySlot.
 */
export function hashKeySlot(key: string): number {
  let h = 0x811c9dc5;
  let crc = 0;
  let brace = false;
  const n = key.length;
  const table = CRC16_TABLE2; // (a local: see hashKeyBytes)
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = key.charCodeAt(i);
    const b = key.charCodeAt(i + 1);
    h = Math.imul(Math.imul(h ^ a, 0x01000193) ^ b, 0x01000193);
    crc = table[(crc ^ ((a << 8) | b)) & 0xffff]!;
    if (a === 123 || b === 123) brace = true;
  }
  if (i < n) {
    const a = key.charCodeAt(i);
    h = Math.imul(h ^ a, 0x01000193);
    crc = ((crc << 8) & 0xff00) ^ CRC16_TABLE[((crc >> 8) ^ a) & 0xff]!;
    if (a === 123) brace = true;
  }
  hashedSlot = brace ? keySlot(key) : crc & (SLOTS - 1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The hash slot of the key `hashKeyBytes` hashed last (keySlot of its bytes). */
export let bytesSlot = 0;

/**
 * hashKey of the key held as bytes [start, end) of `buf` (the same hash as its latin1 string's),
 * and, in the same pass, its cluster hash slot into `bytesSlot`: the CRC16 of the whole key,
 * unless it holds a `{` (a hash tag, maybe), left to keySlotBytes.
 */
export function hashKeyBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  let crc = 0;
  let brace = false;
  // two bytes per step, as hashKeySlot; the table in a local (an imported binding is loaded
  // again on every step: ~100 instructions more per call)
  const table = CRC16_TABLE2;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const a = buf[i]!;
    const b = buf[i + 1]!;
    h = Math.imul(Math.imul(h ^ a, 0x01000193) ^ b, 0x01000193);
    crc = table[(crc ^ ((a << 8) | b)) & 0xffff]!;
    if (a === 123 || b === 123) brace = true;
  }
  if (i < end) {
    const a = buf[i]!;
    h = Math.imul(h ^ a, 0x01000193);
    crc = ((crc << 8) & 0xff00) ^ CRC16_TABLE[((crc >> 8) ^ a) & 0xff]!;
    if (a === 123) brace = true;
  }
  bytesSlot = brace ? keySlotBytes(buf, start, end) : crc & (SLOTS - 1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function reverseBits(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

/** Bytes a record takes. */
function recordBytes(ttl: boolean, keyLen: number, tag: number, valLen: number): number {
  const keyEnd = (ttl ? HEADER_TTL : HEADER) + keyLen;
  if (tag === T_STR || tag === T_PACKED) return keyEnd + valLen;
  if (tag === T_INT) return ((keyEnd + 3) & ~3) + 8;
  return keyEnd;
}

/* What `classify` found out about a value to store (module state: no object per call). */
let vTag = 0;
let vLen = 0;
/** the packed collection's kind id (packed-collections.ts), written before its bytes */
let vPackedId = 0;

function classify(value: Value): void {
  if (typeof value === 'string' && value.length <= LARGE_STRING) {
    vTag = T_STR;
    vLen = value.length;
  } else if (typeof value === 'number') {
    vTag = T_INT;
    vLen = 0;
  } else {
    vTag = T_HANDLE;
    vLen = 0;
  }
}

/**
 * When set, the T_STR value put/overwrite is writing comes from these bytes [vSrcStart, vSrcStart
 * + vLen) (putBytes: the request's read buffer) instead of a string.
 */
let vSrc: Uint8Array | null = null;
let vSrcStart = 0;

/** Copies `n` bytes; a loop for the short runs keys and small values are (Buffer#copy validates in JS). */
function copyBytes(src: Uint8Array, from: number, dst: Buffer, at: number, n: number): void {
  if (n <= 64) for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
  else dst.set(src.subarray(from, from + n), at);
}

/** Copies a string's chars as bytes: a loop up to 64 (latin1Write is a ~55 ns call into C++). */
function writeLatin1(u8: Buffer, at: number, s: string): void {
  const n = s.length;
  if (n <= 64) for (let i = 0; i < n; i++) u8[at + i] = s.charCodeAt(i);
  else u8.latin1Write(s, at);
}

export class Shard {
  /** the bucket table, and the table a resize moves it to (null: no resize in progress) */
  private t0: Uint32Array = EMPTY;
  private t1: Uint32Array | null = null;
  /** the next bucket of t0 to move while resizing */
  private rehashIdx = 0;
  /** keys in the shard */
  count = 0;
  /** addresses of the records with a TTL, and how many */
  ttl: Uint32Array = EMPTY;
  ttlCount = 0;
  /** approximate bytes held by this shard's keys and values (used_memory_dataset) */
  bytes = 0;
  /** the logical size of the values held by handle (collections…), part of `bytes` */
  handleBytes = 0;
  /** where the active expiry cycle resumes its sweep of the TTL index */
  expireCursor = 0;

  /** where `find` found its record: the predecessor in the chain (0: the bucket's head) */
  private prev = 0;
  private headTable: Uint32Array = EMPTY;
  private headIndex = 0;

  constructor(readonly arena: Arena) {}

  /** Bytes of this shard's index (bucket tables and TTL index). */
  get indexBytes(): number {
    return this.t0.byteLength + (this.t1 === null ? 0 : this.t1.byteLength) + this.ttl.byteLength;
  }

  /** Bucket count of the main table (and of the resize target): for tests. */
  get tableSizes(): [number, number] {
    return [this.t0.length, this.t1 === null ? 0 : this.t1.length];
  }

  /**
   * The key `find` last found, its hash and its record's address, while the chain position
   * `find` left (prev, headTable, headIndex) still holds: a find of the same key returns it
   * without a search. Read-modify-write commands look a key up and then write it (INCR's lookup
   * and replace; a lookup then setExpire, delete, valueTypeOf…), each step finding it again; the
   * second search compared every byte of the key once more. Anything that changes a chain or
   * frees or moves a record — link, removeFound, repoint, rehashStep, clear, a findBytes — clears
   * it. The hash is compared first: `===` between two different strings of one length scans
   * their common prefix (random keys share a long one), and one of the same string object is a
   * pointer comparison.
   */
  private foundKey: string | null = null;
  private foundHash = 0;
  private foundAddr = 0;

  /** The address of the record of `key` (hashed to `hash`), or 0. Moves one bucket of a resize. */
  find(key: string, hash: number): number {
    if (hash === this.foundHash && key === this.foundKey) return this.foundAddr;
    if (this.t1 !== null) this.rehashStep();
    const n = key.length;
    const pages32 = this.arena.u32;
    const pages8 = this.arena.u8;
    let table = this.t0;
    for (;;) {
      if (table.length !== 0) {
        const idx = hash & (table.length - 1);
        let prev = 0;
        let a = table[idx]!;
        while (a !== 0) {
          const p = pageOf(a);
          const w = wordOf(a);
          const u32 = pages32[p]!;
          if (u32[w + 1] === hash && u32[w + 3] === n) {
            const u8 = pages8[p]!;
            const k = byteOf(a) + (u32[w + 2]! & TTL_BIT ? HEADER_TTL : HEADER);
            let i = 0;
            while (i < n && u8[k + i] === key.charCodeAt(i)) i++;
            if (i === n) {
              this.prev = prev;
              this.headTable = table;
              this.headIndex = idx;
              this.foundKey = key;
              this.foundHash = hash;
              this.foundAddr = a;
              return a;
            }
          }
          prev = a;
          a = u32[w]!;
        }
      }
      if (this.t1 === null || table === this.t1) return 0;
      table = this.t1;
    }
  }

  /**
   * `find` for a key held as bytes [start, end) of `buf` (the request's read buffer): the same
   * record, compared byte for byte, with the same side effects (one resize step, the chain
   * position for removal or repointing).
   */
  findBytes(buf: Uint8Array, start: number, end: number, hash: number): number {
    if (this.t1 !== null) this.rehashStep();
    const n = end - start;
    const pages32 = this.arena.u32;
    const pages8 = this.arena.u8;
    let table = this.t0;
    for (;;) {
      if (table.length !== 0) {
        const idx = hash & (table.length - 1);
        let prev = 0;
        let a = table[idx]!;
        while (a !== 0) {
          const p = pageOf(a);
          const w = wordOf(a);
          const u32 = pages32[p]!;
          if (u32[w + 1] === hash && u32[w + 3] === n) {
            const u8 = pages8[p]!;
            const k = byteOf(a) + (u32[w + 2]! & TTL_BIT ? HEADER_TTL : HEADER) - start;
            let i = start;
            while (i < end && u8[k + i] === buf[i]) i++;
            if (i === end) {
              this.foundKey = null;
              this.prev = prev;
              this.headTable = table;
              this.headIndex = idx;
              return a;
            }
          }
          prev = a;
          a = u32[w]!;
        }
      }
      if (this.t1 === null || table === this.t1) return 0;
      table = this.t1;
    }
  }

  /* Reading a record. */

  meta(a: number): number {
    return this.arena.u32[pageOf(a)]![wordOf(a) + 2]!;
  }

  /** The record's typed-value tag (value-type.ts). */
  valueType(a: number): number {
    return (this.arena.u32[pageOf(a)]![wordOf(a) + 2]! & VTYPE_MASK) >>> VTYPE_SHIFT;
  }

  setClock(a: number, field: number): void {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a) + 2;
    u32[w] = (u32[w]! & 0xff) | (field << 8);
  }

  /** The kind id of a T_PACKED record's collection (packed-collections.ts). */
  packedIdOf(a: number): number {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    return this.arena.u8[pageOf(a)]![byteOf(a) + (u32[w + 2]! & TTL_BIT ? HEADER_TTL : HEADER) + u32[w + 3]!]!;
  }

  /** The expiry time of the record (which must have a TTL). */
  expiryOf(a: number): number {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    f64w[0] = u32[w + 5]!;
    f64w[1] = u32[w + 6]!;
    return f64[0]!;
  }

  keyOf(a: number): string {
    const p = pageOf(a);
    const w = wordOf(a);
    const u32 = this.arena.u32[p]!;
    const k = byteOf(a) + (u32[w + 2]! & TTL_BIT ? HEADER_TTL : HEADER);
    return latin1(this.arena.u8[p]!, k, k + u32[w + 3]!);
  }

  valueOf(a: number): Value {
    const p = pageOf(a);
    const w = wordOf(a);
    const u32 = this.arena.u32[p]!;
    const meta = u32[w + 2]!;
    const tag = meta & TAG_MASK;
    if (tag === T_HANDLE) return this.arena.handles[u32[w + 4]!] as Value;
    const end = byteOf(a) + (meta & TTL_BIT ? HEADER_TTL : HEADER) + u32[w + 3]!;
    if (tag === T_PACKED) return latin1(this.arena.u8[p]!, end + 1, end + u32[w + 4]!);
    if (tag === T_STR) return latin1(this.arena.u8[p]!, end, end + u32[w + 4]!);
    const iw = ((end + 3) & ~3) >>> 2;
    f64w[0] = u32[iw]!;
    f64w[1] = u32[iw + 1]!;
    return f64[0]!;
  }

  /** The page bytes holding the record's key and value (for `strStart`). */
  pageBytes(a: number): Buffer {
    return this.arena.u8[pageOf(a)]!;
  }

  /** Where a T_STR record's value bytes start in its page (`pageBytes`); `strLength` of them. */
  strStart(a: number): number {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    return byteOf(a) + (u32[w + 2]! & TTL_BIT ? HEADER_TTL : HEADER) + u32[w + 3]!;
  }

  strLength(a: number): number {
    return this.arena.u32[pageOf(a)]![wordOf(a) + 4]!;
  }

  /** The accounting size of the record's value (sizeOf of what valueOf would return). */
  private valueSize(a: number): number {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    const tag = u32[w + 2]! & TAG_MASK;
    if (tag === T_STR) return 16 + u32[w + 4]!;
    if (tag === T_PACKED) return 15 + u32[w + 4]!;
    if (tag === T_INT) return 8;
    return sizeOf(this.arena.handles[u32[w + 4]!] as Value);
  }

  private sizeOfRecord(a: number): number {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    const meta = u32[w + 2]!;
    return recordBytes((meta & TTL_BIT) !== 0, u32[w + 3]!, meta & TAG_MASK, u32[w + 4]!);
  }

  /* Writing. */

  /**
   * Stores `value` at `key` (hashed to `hash`), creating the record with access clock `clock`,
   * or overwriting it: then its TTL is kept when `keepTtl` (else removed), and its clock is
   * replaced by `clock` unless `keepClock`. The record's typed-value tag becomes `vtype`
   * (value-type.ts; VT_KEEP_INT keeps an INT tag, else BYTES). Returns whether the key was new.
   * `packed`: `value` is a collection's packed bytes (packed-collections.ts), stored as a
   * T_PACKED record.
   */
  put(key: string, hash: number, value: Value, keepTtl: boolean, clock: number, keepClock: boolean, vtype = 0, packedId = 0): boolean {
    const size = this.classifyValue(value, packedId);
    const tag = vTag;
    const a = this.find(key, hash);
    if (a === 0) {
      const handle = tag === T_HANDLE ? this.hold(value, size) : 0;
      const bytes = recordBytes(false, key.length, tag, vLen);
      const na = this.arena.alloc(bytes);
      const typeBits = vtype === VT_KEEP_INT ? 0 : vtype << VTYPE_SHIFT;
      this.writeHeader(na, hash, tag | typeBits, false, clock, key.length, tag === T_HANDLE ? handle : vLen);
      const k = byteOf(na) + HEADER;
      writeLatin1(this.arena.u8[pageOf(na)]!, k, key);
      this.writeValue(na, k + key.length, tag, value);
      this.link(na, hash);
      this.count++;
      this.bytes += size + ENTRY_OVERHEAD + key.length;
      if (this.t1 === null && this.count > this.t0.length) this.resize(this.t0.length * 2);
      return true;
    }
    this.overwrite(a, key.length, hash, value, size, keepTtl, clock, keepClock, vtype);
    return false;
  }

  /**
   * `put` of a string value for a key, both held as bytes of `buf` (the request's read buffer):
   * key [ks, ke), value [vs, ve) of at most LARGE_STRING bytes, stored as T_STR (the caller has
   * checked that the value is not one Redis encodes as an integer). Any TTL is removed, the
   * typed-value tag becomes `vtype` (value-type.ts: BYTES for SET, STRING for the binary
   * protocol's String values), the access clock is `clock` unless `keepClock`, as put.
   */
  putBytes(buf: Uint8Array, ks: number, ke: number, hash: number, vs: number, ve: number, clock: number, keepClock: boolean, vtype = 0): boolean {
    const keyLen = ke - ks;
    vTag = T_STR;
    vLen = ve - vs;
    vPackedId = 0;
    vSrc = buf;
    vSrcStart = vs;
    const size = 16 + vLen;
    const a = this.findBytes(buf, ks, ke, hash);
    if (a !== 0) {
      // the usual overwrite: a string without a TTL replaced by one of the same size class,
      // written in place here (what `overwrite` does for it, without its general case analysis)
      const u32 = this.arena.u32[pageOf(a)]!;
      const w = wordOf(a);
      const meta = u32[w + 2]!;
      if ((meta & (TAG_MASK | TTL_BIT)) === T_STR) {
        const oldLen = u32[w + 4]!;
        const keyEnd = HEADER + keyLen;
        const chunk = chunkBytes(keyEnd + oldLen);
        if (chunk !== 0 && chunk === chunkBytes(keyEnd + vLen)) {
          this.bytes += vLen - oldLen;
          u32[w + 2] = T_STR | (vtype << VTYPE_SHIFT) | ((keepClock ? meta >>> 8 : clock) << 8);
          u32[w + 4] = vLen;
          copyBytes(buf, vs, this.arena.u8[pageOf(a)]!, byteOf(a) + keyEnd, vLen);
          vSrc = null;
          return false;
        }
      }
      this.overwrite(a, keyLen, hash, '', size, false, clock, keepClock, vtype);
      vSrc = null;
      return false;
    }
    const na = this.arena.alloc(recordBytes(false, keyLen, T_STR, vLen));
    this.writeHeader(na, hash, T_STR | (vtype << VTYPE_SHIFT), false, clock, keyLen, vLen);
    const u8 = this.arena.u8[pageOf(na)]!;
    const k = byteOf(na) + HEADER;
    copyBytes(buf, ks, u8, k, keyLen);
    copyBytes(buf, vs, u8, k + keyLen, vLen);
    vSrc = null;
    this.link(na, hash);
    this.count++;
    this.bytes += size + ENTRY_OVERHEAD + keyLen;
    if (this.t1 === null && this.count > this.t0.length) this.resize(this.t0.length * 2);
    return true;
  }

  /**
   * Creates the record of a key held as bytes [ks, ke) of `buf`, which `findBytes` has just not
   * found, holding the integer `value` (T_INT, as `put` stores a number) with access clock
   * `clock`, no TTL and the typed-value tag BYTES (INCR of a missing key: dispatch's runRange).
   */
  createIntBytes(buf: Uint8Array, ks: number, ke: number, hash: number, value: number, clock: number): void {
    const keyLen = ke - ks;
    const na = this.arena.alloc(recordBytes(false, keyLen, T_INT, 0));
    this.writeHeader(na, hash, T_INT, false, clock, keyLen, 0);
    const k = byteOf(na) + HEADER;
    copyBytes(buf, ks, this.arena.u8[pageOf(na)]!, k, keyLen);
    this.writeValue(na, k + keyLen, T_INT, value);
    this.link(na, hash);
    this.count++;
    this.bytes += 8 + ENTRY_OVERHEAD + keyLen;
    if (this.t1 === null && this.count > this.t0.length) this.resize(this.t0.length * 2);
  }

  /** The integer a T_INT record holds. */
  intOf(a: number): number {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    const iw = ((byteOf(a) + (u32[w + 2]! & TTL_BIT ? HEADER_TTL : HEADER) + u32[w + 3]! + 3) & ~3) >>> 2;
    f64w[0] = u32[iw]!;
    f64w[1] = u32[iw + 1]!;
    return f64[0]!;
  }

  /**
   * Replaces the integer of the T_INT record `a` with `value` in place (same size: no move, TTL
   * kept), its access clock field with `clock`, and its typed-value tag as `put` with
   * VT_KEEP_INT does: INT stays INT, any other becomes BYTES (INCR: Database.incrBytes).
   */
  setIntKeepInt(a: number, value: number, clock: number): void {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    const meta = u32[w + 2]!;
    const typeBits = (meta & VTYPE_MASK) === VT_INT << VTYPE_SHIFT ? VT_INT << VTYPE_SHIFT : 0;
    u32[w + 2] = (meta & (TAG_MASK | TTL_BIT)) | typeBits | (clock << 8);
    const iw = ((byteOf(a) + (meta & TTL_BIT ? HEADER_TTL : HEADER) + u32[w + 3]! + 3) & ~3) >>> 2;
    f64[0] = value;
    u32[iw] = f64w[0]!;
    u32[iw + 1] = f64w[1]!;
  }

  /**
   * Overwrites the value of `key`'s record, when there is one, with `value` (a collection's
   * packed bytes when `packedId` is not 0, else an object held by handle), keeping its TTL,
   * access clock and typed-value tag. Returns whether the record was there (settle's repacking).
   */
  repack(key: string, hash: number, value: Value, packedId: number): boolean {
    const a = this.find(key, hash);
    if (a === 0) return false;
    this.overwrite(a, key.length, hash, value, this.classifyValue(value, packedId), true, 0, true, 0);
    return true;
  }

  /**
   * Rewrites `key`'s T_PACKED record of kind `packedId` as an edit of the packed bytes it holds:
   * `head`, then its bytes [from, to) (offsets in the packed bytes, the id byte aside), then
   * `tail` — writing only `head` and `tail` and moving the kept bytes within the record (or to
   * its new chunk when the record changes size class). TTL, access clock and typed-value tag are
   * kept. Returns false, changing nothing, when there is no such record.
   */
  repackEdit(key: string, hash: number, packedId: number, head: string, from: number, to: number, tail: string): boolean {
    const a = this.find(key, hash);
    if (a === 0) return false;
    const p = pageOf(a);
    const u32 = this.arena.u32[p]!;
    const u8 = this.arena.u8[p]!;
    const w = wordOf(a);
    const meta = u32[w + 2]!;
    const ttl = (meta & TTL_BIT) !== 0;
    const keyLen = u32[w + 3]!;
    const oldLen = u32[w + 4]!;
    const v = byteOf(a) + (ttl ? HEADER_TTL : HEADER) + keyLen;
    if ((meta & TAG_MASK) !== T_PACKED || u8[v] !== packedId || to > oldLen - 1 || from > to) return false;
    const keep = to - from;
    const newLen = 1 + head.length + keep + tail.length;
    this.bytes += newLen - oldLen;
    const oldBytes = recordBytes(ttl, keyLen, T_PACKED, oldLen);
    const bytes = recordBytes(ttl, keyLen, T_PACKED, newLen);
    const oldChunk = chunkBytes(oldBytes);
    if (oldChunk !== 0 && oldChunk === chunkBytes(bytes)) {
      // in place: the kept bytes move (memmove) to follow the new head
      if (from !== head.length) u8.copyWithin(v + 1 + head.length, v + 1 + from, v + 1 + to);
      writeLatin1(u8, v + 1, head);
      writeLatin1(u8, v + 1 + head.length + keep, tail);
      u32[w + 4] = newLen;
      return true;
    }
    const na = this.arena.alloc(bytes);
    const np = pageOf(na);
    const nu32 = this.arena.u32[np]!;
    const nu8 = this.arena.u8[np]!;
    const nw = wordOf(na);
    const words = ttl ? 8 : 5;
    for (let i = 0; i < words; i++) nu32[nw + i] = u32[w + i]!;
    nu32[nw + 4] = newLen;
    if (ttl) this.ttl[u32[w + 7]!] = na;
    const k = byteOf(na) + (ttl ? HEADER_TTL : HEADER);
    u8.copy(nu8, k, v - keyLen, v);
    const nv = k + keyLen;
    nu8[nv] = packedId;
    writeLatin1(nu8, nv + 1, head);
    u8.copy(nu8, nv + 1 + head.length, v + 1 + from, v + 1 + to);
    writeLatin1(nu8, nv + 1 + head.length + keep, tail);
    this.repoint(na);
    this.arena.free(a, oldBytes);
    return true;
  }

  /** classify, for put: sets vTag/vLen/vPackedId and returns the value's accounting size. */
  private classifyValue(value: Value, packedId: number): number {
    vPackedId = packedId;
    if (packedId !== 0) {
      vTag = T_PACKED;
      vLen = (value as string).length + 1;
      return 16 + vLen - 1; // as the bytes' string (sizeOf), the id byte aside
    }
    classify(value);
    return sizeOf(value);
  }

  /** The overwrite half of put, on the record `find` just returned (its tag in vTag, vLen). */
  private overwrite(a: number, keyLen: number, hash: number, value: Value, size: number, keepTtl: boolean, clock: number, keepClock: boolean, vtype: number): void {
    const tag = vTag;
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    const meta = u32[w + 2]!;
    const hadTtl = (meta & TTL_BIT) !== 0;
    this.bytes += size - this.valueSize(a);
    if ((meta & TAG_MASK) === T_HANDLE) this.unhold(u32[w + 4]!);
    const oldBytes = recordBytes(hadTtl, keyLen, meta & TAG_MASK, u32[w + 4]!);
    const ttl = hadTtl && keepTtl;
    if (hadTtl && !ttl) this.ttlRemove(a);
    const handle = tag === T_HANDLE ? this.hold(value, size) : 0;
    const field = keepClock ? meta >>> 8 : clock;
    const typeBits =
      vtype === VT_KEEP_INT ? ((meta & VTYPE_MASK) === VT_INT << VTYPE_SHIFT ? VT_INT << VTYPE_SHIFT : 0) : vtype << VTYPE_SHIFT;
    const bytes = recordBytes(ttl, keyLen, tag, vLen);
    const oldChunk = chunkBytes(oldBytes);
    if (ttl === hadTtl && oldChunk !== 0 && oldChunk === chunkBytes(bytes)) {
      // in place: the key stays where it is
      u32[w + 2] = tag | typeBits | (ttl ? TTL_BIT : 0) | (field << 8);
      u32[w + 4] = tag === T_HANDLE ? handle : vLen;
      this.writeValue(a, byteOf(a) + (ttl ? HEADER_TTL : HEADER) + keyLen, tag, value);
      return;
    }
    const at = ttl ? this.expiryOf(a) : 0;
    const pos = ttl ? u32[w + 7]! : 0;
    const na = this.arena.alloc(bytes);
    this.writeHeader(na, hash, tag | typeBits, ttl, field, keyLen, tag === T_HANDLE ? handle : vLen);
    const nu32 = this.arena.u32[pageOf(na)]!;
    const nw = wordOf(na);
    nu32[nw] = u32[w]!;
    if (ttl) {
      f64[0] = at;
      nu32[nw + 5] = f64w[0]!;
      nu32[nw + 6] = f64w[1]!;
      nu32[nw + 7] = pos;
      this.ttl[pos] = na;
    }
    const k = byteOf(na) + (ttl ? HEADER_TTL : HEADER);
    const ok = byteOf(a) + (hadTtl ? HEADER_TTL : HEADER);
    this.arena.u8[pageOf(a)]!.copy(this.arena.u8[pageOf(na)]!, k, ok, ok + keyLen);
    this.writeValue(na, k + keyLen, tag, value);
    this.repoint(na);
    this.arena.free(a, oldBytes);
  }

  /** Points the chain that `find` left at its record to `na` instead. */
  private repoint(na: number): void {
    this.foundKey = null;
    if (this.prev === 0) this.headTable[this.headIndex] = na;
    else this.arena.u32[pageOf(this.prev)]![wordOf(this.prev)] = na;
  }

  /** `tag`: the value's tag with the typed-value bits. */
  private writeHeader(a: number, hash: number, tag: number, ttl: boolean, clock: number, keyLen: number, valLen: number): void {
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    u32[w] = 0;
    u32[w + 1] = hash;
    u32[w + 2] = tag | (ttl ? TTL_BIT : 0) | (clock << 8);
    u32[w + 3] = keyLen;
    u32[w + 4] = valLen;
  }

  private writeValue(a: number, at: number, tag: number, value: Value): void {
    if (tag === T_STR) {
      if (vSrc !== null) copyBytes(vSrc, vSrcStart, this.arena.u8[pageOf(a)]!, at, vLen);
      else writeLatin1(this.arena.u8[pageOf(a)]!, at, value as string);
    }
    else if (tag === T_PACKED) {
      const u8 = this.arena.u8[pageOf(a)]!;
      u8[at] = vPackedId;
      writeLatin1(u8, at + 1, value as string);
    }
    else if (tag === T_INT) {
      f64[0] = value as number;
      const u32 = this.arena.u32[pageOf(a)]!;
      const iw = ((at + 3) & ~3) >>> 2;
      u32[iw] = f64w[0]!;
      u32[iw + 1] = f64w[1]!;
    }
  }

  private hold(value: Value, size: number): number {
    this.handleBytes += size;
    return this.arena.hold(value);
  }

  private unhold(h: number): void {
    this.handleBytes -= sizeOf(this.arena.handles[h] as Value);
    this.arena.release(h);
  }

  /** A value held by handle changed size by `delta` (in-place edits). */
  resized(delta: number): void {
    this.bytes += delta;
    this.handleBytes += delta;
  }

  private link(a: number, hash: number): void {
    this.foundKey = null;
    if (this.t0.length === 0) this.t0 = new Uint32Array(MIN_TABLE);
    const table = this.t1 ?? this.t0;
    const idx = hash & (table.length - 1);
    this.arena.u32[pageOf(a)]![wordOf(a)] = table[idx]!;
    table[idx] = a;
  }

  /** Removes the record `find` just returned. */
  removeFound(a: number): void {
    this.foundKey = null;
    const u32 = this.arena.u32[pageOf(a)]!;
    const w = wordOf(a);
    const meta = u32[w + 2]!;
    const next = u32[w]!;
    if (this.prev === 0) this.headTable[this.headIndex] = next;
    else this.arena.u32[pageOf(this.prev)]![wordOf(this.prev)] = next;
    if (meta & TTL_BIT) this.ttlRemove(a);
    this.bytes -= this.valueSize(a) + ENTRY_OVERHEAD + u32[w + 3]!;
    if ((meta & TAG_MASK) === T_HANDLE) this.unhold(u32[w + 4]!);
    this.arena.free(a, this.sizeOfRecord(a));
    this.count--;
    if (this.t1 === null) this.shrinkIfSparse();
  }

  /** Starts halving the table (to the smallest power of two above the key count) when under 1/8 full. */
  private shrinkIfSparse(): void {
    if (this.t0.length > MIN_TABLE && this.count * 8 < this.t0.length) {
      let size = MIN_TABLE;
      while (size < this.count) size *= 2;
      this.resize(size);
    }
  }

  /**
   * Sets the expiry time of the record `find` just returned (adding it to the TTL index when it
   * had none). Returns the record's address, which may have changed.
   */
  setExpiry(a: number, at: number): number {
    let u32 = this.arena.u32[pageOf(a)]!;
    let w = wordOf(a);
    const meta = u32[w + 2]!;
    if ((meta & TTL_BIT) === 0) {
      a = this.reshape(a, true);
      u32 = this.arena.u32[pageOf(a)]!;
      w = wordOf(a);
      if (this.ttlCount === this.ttl.length) {
        const grown = new Uint32Array(Math.max(4, this.ttl.length * 2));
        grown.set(this.ttl);
        this.ttl = grown;
      }
      u32[w + 7] = this.ttlCount;
      this.ttl[this.ttlCount++] = a;
      this.arena.ttlRecords++;
    }
    f64[0] = at;
    u32[w + 5] = f64w[0]!;
    u32[w + 6] = f64w[1]!;
    return a;
  }

  /** Removes the TTL of the record `find` just returned, which has one. */
  clearExpiry(a: number): void {
    this.ttlRemove(a);
    this.reshape(a, false);
  }

  private ttlRemove(a: number): void {
    const pos = this.arena.u32[pageOf(a)]![wordOf(a) + 7]!;
    const last = this.ttl[--this.ttlCount]!;
    this.arena.ttlRecords--;
    if (last !== a) {
      this.ttl[pos] = last;
      this.arena.u32[pageOf(last)]![wordOf(last) + 7] = pos;
    }
    if (this.expireCursor > this.ttlCount) this.expireCursor = this.ttlCount;
  }

  /**
   * Gives the record `find` just returned room for a TTL block (or takes it away), in place when
   * its size class allows, else in a new chunk. Returns the record's address.
   */
  private reshape(a: number, ttl: boolean): number {
    const p = pageOf(a);
    const u32 = this.arena.u32[p]!;
    const w = wordOf(a);
    const meta = u32[w + 2]!;
    const keyLen = u32[w + 3]!;
    const tag = meta & TAG_MASK;
    const oldBytes = recordBytes(!ttl, keyLen, tag, u32[w + 4]!);
    const bytes = recordBytes(ttl, keyLen, tag, u32[w + 4]!);
    const from = byteOf(a) + (ttl ? HEADER : HEADER_TTL);
    const to = byteOf(a) + (ttl ? HEADER_TTL : HEADER);
    const restLen = oldBytes - (ttl ? HEADER : HEADER_TTL);
    const newMeta = ttl ? meta | TTL_BIT : meta & ~TTL_BIT;
    const chunk = chunkBytes(oldBytes);
    if (chunk !== 0 && chunk === chunkBytes(bytes)) {
      this.arena.u8[p]!.copyWithin(to, from, from + restLen);
      u32[w + 2] = newMeta;
      return a;
    }
    const na = this.arena.alloc(bytes);
    const np = pageOf(na);
    const nu32 = this.arena.u32[np]!;
    const nw = wordOf(na);
    for (let i = 0; i < 5; i++) nu32[nw + i] = u32[w + i]!;
    nu32[nw + 2] = newMeta;
    const nb = byteOf(na) + (ttl ? HEADER_TTL : HEADER);
    this.arena.u8[p]!.copy(this.arena.u8[np]!, nb, from, from + restLen);
    this.repoint(na);
    this.arena.free(a, oldBytes);
    return na;
  }

  /* Resizing. */

  private resize(size: number): void {
    this.t1 = new Uint32Array(size);
    this.rehashIdx = 0;
  }

  /** Moves one bucket of t0 to t1 (visiting at most 10 empty ones), finishing the resize at the end. */
  private rehashStep(): void {
    this.foundKey = null;
    const t0 = this.t0;
    const t1 = this.t1!;
    const mask = t1.length - 1;
    const pages = this.arena.u32;
    let empty = 10;
    while (this.rehashIdx < t0.length && t0[this.rehashIdx] === 0) {
      this.rehashIdx++;
      if (--empty === 0) break;
    }
    if (this.rehashIdx < t0.length && t0[this.rehashIdx] !== 0) {
      let a = t0[this.rehashIdx]!;
      t0[this.rehashIdx] = 0;
      while (a !== 0) {
        const u32 = pages[pageOf(a)]!;
        const w = wordOf(a);
        const next = u32[w]!;
        const idx = u32[w + 1]! & mask;
        u32[w] = t1[idx]!;
        t1[idx] = a;
        a = next;
      }
      this.rehashIdx++;
    }
    if (this.rehashIdx >= t0.length) {
      this.t0 = t1;
      this.t1 = null;
      this.shrinkIfSparse();
    }
  }

  /* Iteration. */

  /**
   * One step of SCAN's reverse-binary cursor over this shard, as Redis's dictScan: the keys of
   * bucket `v` of the smaller table and of every bucket of the larger one that it expands to
   * are pushed to `out`; returns the next cursor (0: done). A key present for a whole scan is
   * returned at least once, whatever resizes happen between steps. When those keys would take
   * `out` beyond `room` keys and `out` is not empty, nothing is pushed and -1 is returned (the
   * same cursor then resumes there).
   */
  scanStep(v: number, out: string[], room: number): number {
    let small = this.t0;
    if (small.length === 0) return 0;
    if (this.t1 === null) {
      const m0 = small.length - 1;
      const head = small[v & m0]!;
      if (out.length !== 0 && out.length + this.chainLength(head) > room) return -1;
      this.pushChain(head, out);
      v = (v | ~m0) >>> 0;
      v = reverseBits(v);
      v = (v + 1) >>> 0;
      return reverseBits(v);
    }
    let large = this.t1;
    if (small.length > large.length) [small, large] = [large, small];
    const m0 = small.length - 1;
    const m1 = large.length - 1;
    if (out.length !== 0) {
      let n = this.chainLength(small[v & m0]!);
      let u = v;
      do {
        n += this.chainLength(large[u & m1]!);
        u = reverseBits((reverseBits((u | ~m1) >>> 0) + 1) >>> 0);
      } while (u & (m0 ^ m1));
      if (out.length + n > room) return -1;
    }
    this.pushChain(small[v & m0]!, out);
    do {
      this.pushChain(large[v & m1]!, out);
      v = (v | ~m1) >>> 0;
      v = reverseBits(v);
      v = (v + 1) >>> 0;
      v = reverseBits(v);
    } while (v & (m0 ^ m1));
    return v;
  }

  private chainLength(a: number): number {
    const pages = this.arena.u32;
    let n = 0;
    for (; a !== 0; a = pages[pageOf(a)]![wordOf(a)]!) n++;
    return n;
  }

  private pushChain(a: number, out: string[]): void {
    const pages = this.arena.u32;
    while (a !== 0) {
      out.push(this.keyOf(a));
      a = pages[pageOf(a)]![wordOf(a)]!;
    }
  }

  /** Every record's address (both tables while resizing). */
  *addresses(): Generator<number> {
    for (const table of [this.t0, this.t1]) {
      if (table === null) continue;
      for (let i = 0; i < table.length; i++) {
        let a = table[i]!;
        while (a !== 0) {
          const next = this.arena.u32[pageOf(a)]![wordOf(a)]!;
          yield a;
          a = next;
        }
      }
    }
  }

  /** Every key and its value (for tests and tools; SCAN and KEYS have their own ways). */
  *entries(): Generator<[string, Value]> {
    for (const a of this.addresses()) yield [this.keyOf(a), this.valueOf(a)];
  }

  /** The shard's contents as an iterable of [key, value] (as the Map it replaced). */
  get data(): Iterable<[string, Value]> & { readonly size: number } {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const shard = this;
    return {
      [Symbol.iterator]: () => shard.entries(),
      get size() {
        return shard.count;
      },
    };
  }

  /** A random record's address (a random non-empty bucket, then a random record of its chain), or 0. */
  randomAddress(random: () => number): number {
    if (this.count === 0) return 0;
    const pages = this.arena.u32;
    for (;;) {
      const t1 = this.t1;
      const n0 = this.t0.length;
      const total = n0 + (t1 === null ? 0 : t1.length);
      const i = Math.floor(random() * total);
      let a = i < n0 ? this.t0[i]! : t1![i - n0]!;
      if (a === 0) continue;
      let len = 0;
      for (let b = a; b !== 0; b = pages[pageOf(b)]![wordOf(b)]!) len++;
      for (let pick = Math.floor(random() * len); pick > 0; pick--) a = pages[pageOf(a)]![wordOf(a)]!;
      return a;
    }
  }

  /** Removes every record. */
  clear(): void {
    this.foundKey = null;
    for (const a of [...this.addresses()]) {
      const u32 = this.arena.u32[pageOf(a)]!;
      const w = wordOf(a);
      if ((u32[w + 2]! & TAG_MASK) === T_HANDLE) this.arena.release(u32[w + 4]!);
      this.arena.free(a, this.sizeOfRecord(a));
    }
    this.t0 = EMPTY;
    this.t1 = null;
    this.ttl = EMPTY;
    this.arena.ttlRecords -= this.ttlCount;
    this.ttlCount = 0;
    this.count = 0;
    this.bytes = 0;
    this.handleBytes = 0;
    this.expireCursor = 0;
  }
}
