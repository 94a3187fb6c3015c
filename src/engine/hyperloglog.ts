/*
 * HyperLogLog in Redis's exact representation, so that a HyperLogLog written by Redis (a string)
 * counts the same here and the same PFADDs produce the same bytes.
 *
 * Layout: a 16-byte header — "HYLL", the encoding (0 dense, 1 sparse), 3 unused bytes, and the
 * cached cardinality as 8 bytes little-endian whose most significant bit set means "stale" —
 * followed by the registers of 16384 buckets (the low 14 bits of a 64-bit MurmurHash64A of the
 * element, seed 0xadc83b19), each holding the longest run seen of the remaining 50 bits' trailing
 * zeros, plus one:
 *  - dense: 6 bits per register, least significant bits first (12288 bytes);
 *  - sparse: run-length opcodes — ZERO `00xxxxxx` (1-64 zero registers), XZERO `01xxxxxx
 *    yyyyyyyy` (1-16384 zero registers), VAL `1vvvvvxx` (1-4 registers of value 1-32).
 *    A new HyperLogLog is sparse; it becomes dense when a value exceeds 32 or the string would
 *    grow past `hll-sparse-max-bytes`.
 * The estimator is Otmar Ertl's ("New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017), which Redis uses since 5.0.
 *
 * Values are MutableStrings edited in place; the functions here never touch the keyspace.
 */
import { MutableString } from './values.js';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * 6 + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_REGISTER_MAX = 63;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680; // 1 / (2 ln 2)

/* ---- MurmurHash64A, 64-bit arithmetic on two 32-bit halves ---- */

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

// the running hash and the current block, as halves (module state: no allocation per hash)
let hHi = 0;
let hLo = 0;
let kHi = 0;
let kLo = 0;

/** High 32 bits of the 64-bit product of two uint32s. */
function mulHigh(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const t = a1 * b0 + a0 * b1 + ((a0 * b0) >>> 16);
  return (a1 * b1 + Math.floor(t / 65536)) >>> 0;
}

/** (kHi, kLo) *= M, modulo 2^64. */
function kTimesM(): void {
  const lo = kLo >>> 0;
  const hi = (mulHigh(lo, M_LO) + Math.imul(lo, M_HI) + Math.imul(kHi, M_LO)) >>> 0;
  kLo = Math.imul(lo, M_LO) >>> 0;
  kHi = hi;
}

/** (hHi, hLo) *= M, modulo 2^64. */
function hTimesM(): void {
  const lo = hLo >>> 0;
  const hi = (mulHigh(lo, M_LO) + Math.imul(lo, M_HI) + Math.imul(hHi, M_LO)) >>> 0;
  hLo = Math.imul(lo, M_LO) >>> 0;
  hHi = hi;
}

/**
 * MurmurHash64A of the latin1 bytes of `s` with `seed` (< 2^32), as Redis computes it (blocks
 * read little-endian). The result is left in the module's (hHi, hLo); see murmurHash64A.
 */
function murmur(s: string, seed: number): void {
  const len = s.length;
  // h = seed ^ (len * m)
  kHi = 0;
  kLo = len >>> 0;
  kHi = Math.floor(len / 4294967296);
  kTimesM();
  hHi = kHi;
  hLo = (kLo ^ seed) >>> 0;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    kLo = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    kHi = (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 8) | (s.charCodeAt(i + 6) << 16) | (s.charCodeAt(i + 7) << 24)) >>> 0;
    kTimesM();
    kLo = (kLo ^ (kHi >>> 15)) >>> 0; // k ^= k >> 47
    kTimesM();
    hHi = (hHi ^ kHi) >>> 0;
    hLo = (hLo ^ kLo) >>> 0;
    hTimesM();
  }
  const rest = len & 7;
  if (rest !== 0) {
    for (let r = rest - 1; r >= 0; r--) {
      const byte = s.charCodeAt(blocks + r);
      if (r >= 4) hHi = (hHi ^ (byte << ((r - 4) * 8))) >>> 0;
      else hLo = (hLo ^ (byte << (r * 8))) >>> 0;
    }
    hTimesM();
  }
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
  hTimesM();
  hLo = (hLo ^ (hHi >>> 15)) >>> 0;
}

/** MurmurHash64A of `s` as a bigint (tests and tools; the hot path uses the halves). */
export function murmurHash64A(s: string, seed: number): bigint {
  murmur(s, seed);
  return (BigInt(hHi) << 32n) | BigInt(hLo);
}

const HLL_SEED = 0xadc83b19;

// hllPatLen's answer: the register and the run length
let patIndex = 0;
let patCount = 0;

/**
 * Sets patIndex to the register of element `s` (the hash's low 14 bits) and patCount to the
 * number of trailing zeros of the remaining 50 bits, plus one (51 when they are all zero).
 */
function patLen(s: string): void {
  murmur(s, HLL_SEED);
  patIndex = hLo & HLL_P_MASK;
  const low = hLo >>> HLL_P; // hash bits 14..31: 18 bits
  if (low !== 0) patCount = 1 + ctz32(low);
  else if (hHi !== 0) patCount = 1 + 18 + ctz32(hHi);
  else patCount = HLL_Q + 1;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The register and run length of element `s`: [index, count]. */
export function hllPatLen(s: string): [number, number] {
  patLen(s);
  return [patIndex, patCount];
}

/* ---- the header ---- */

/**
 * Whether `m` is a HyperLogLog as Redis's isHLLObjectOrReply sees it: at least a header, the
 * magic, a known encoding, and a dense one of the exact dense size.
 */
export function isHll(buf: Uint8Array, len: number): boolean {
  if (len < HLL_HDR_SIZE) return false;
  if (buf[0] !== 72 || buf[1] !== 89 || buf[2] !== 76 || buf[3] !== 76) return false; // "HYLL"
  const enc = buf[4]!;
  if (enc > HLL_SPARSE) return false;
  return enc !== HLL_DENSE || len === HLL_DENSE_SIZE;
}

/** A new, empty HyperLogLog: sparse, one XZERO covering every register, cached count 0. */
export function hllCreate(): MutableString {
  const buf = Buffer.alloc(32);
  buf.write('HYLL', 0, 'latin1');
  buf[4] = HLL_SPARSE;
  const n = HLL_REGISTERS / SPARSE_XZERO_MAX_LEN;
  let p = HLL_HDR_SIZE;
  for (let i = 0; i < n; i++) {
    setXzero(buf, p, SPARSE_XZERO_MAX_LEN);
    p += 2;
  }
  return new MutableString(buf, p);
}

/** Whether the cached cardinality is valid. */
export function hllCacheValid(buf: Uint8Array): boolean {
  return (buf[15]! & 0x80) === 0;
}

/** Marks the cached cardinality stale (only its top bit: the other bytes stay, as in Redis). */
export function hllInvalidateCache(buf: Uint8Array): void {
  buf[15] = buf[15]! | 0x80;
}

/** The cached cardinality (when valid), a number or, past 2^53, a bigint. */
export function hllCachedCount(buf: Uint8Array): number | bigint {
  const lo = (buf[8]! | (buf[9]! << 8) | (buf[10]! << 16) | (buf[11]! << 24)) >>> 0;
  const hi = (buf[12]! | (buf[13]! << 8) | (buf[14]! << 16) | (buf[15]! << 24)) >>> 0;
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Stores `card` (< 2^53) as the cached, valid cardinality. */
export function hllStoreCount(buf: Uint8Array, card: number): void {
  let lo = card % 4294967296;
  let hi = Math.floor(card / 4294967296);
  for (let i = 8; i < 12; i++) {
    buf[i] = lo & 0xff;
    lo = Math.floor(lo / 256);
  }
  for (let i = 12; i < 16; i++) {
    buf[i] = hi & 0xff;
    hi = Math.floor(hi / 256);
  }
}

/* ---- dense registers ---- */

export function denseGet(buf: Uint8Array, reg: number): number {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  const b0 = buf[byte]!;
  const b1 = fb > 2 ? buf[byte + 1]! : 0;
  return ((b0 >>> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSet(buf: Uint8Array, reg: number, val: number): void {
  const bit = reg * 6;
  const byte = HLL_HDR_SIZE + (bit >>> 3);
  const fb = bit & 7;
  buf[byte] = (buf[byte]! & ~(HLL_REGISTER_MAX << fb)) | ((val << fb) & 0xff);
  if (fb > 2) {
    const fb8 = 8 - fb;
    buf[byte + 1] = (buf[byte + 1]! & ~(HLL_REGISTER_MAX >>> fb8)) | (val >>> fb8);
  }
}

/* ---- sparse opcodes ---- */

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXzero = (op: number): boolean => (op & 0xc0) === 0x40;
const zeroLen = (op: number): number => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number): number => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number): number => ((op >>> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (value: number, len: number): number => (((value - 1) << 2) | (len - 1) | 0x80) & 0xff;

function setXzero(buf: Uint8Array, p: number, len: number): void {
  const l = len - 1;
  buf[p] = (l >>> 8) | 0x40;
  buf[p + 1] = l & 0xff;
}

/**
 * Converts a sparse HyperLogLog to dense in place (header copied, cached count included).
 * Returns false, leaving `m` alone, when the opcodes do not cover exactly 16384 registers.
 */
export function hllSparseToDense(m: MutableString): boolean {
  const src = m.buf;
  if (src[4] === HLL_DENSE) return true;
  const dense = Buffer.alloc(HLL_DENSE_SIZE);
  src.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  let idx = 0;
  const end = m.len;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = src[p]!;
    if (isZero(op)) {
      idx += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      idx += xzeroLen(op, src[p + 1] ?? 0);
      p += 2;
    } else {
      let run = valLen(op);
      const value = valValue(op);
      // a run past the last register is corruption (Redis: INVALIDOBJ)
      if (run + idx > HLL_REGISTERS) return false;
      while (run-- > 0) denseSet(dense, idx++, value);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) return false;
  m.buf = dense;
  m.len = HLL_DENSE_SIZE;
  return true;
}

/**
 * Raises register `index` to `count` if it is lower: 1 when it changed, 0 when not, -1 for a
 * corrupted HyperLogLog. A sparse one is edited in place, following Redis's update exactly
 * (so that the bytes match): the opcode covering the register is split into at most
 * ZERO/XZERO/VAL - VAL - ZERO/XZERO/VAL, then VAL opcodes of equal value next to each other are
 * merged, scanning up to 5 opcodes from the one before it. It becomes dense when `count` is above
 * 32 or the string would grow past `sparseMax` bytes.
 */
export function hllSet(m: MutableString, index: number, count: number, sparseMax: number): number {
  if (m.buf[4] === HLL_DENSE) {
    if (denseGet(m.buf, index) >= count) return 0;
    denseSet(m.buf, index, count);
    return 1;
  }
  if (count > SPARSE_VAL_MAX_VALUE) return promote(m, index, count);
  m.reserve(m.len + 3);
  const buf = m.buf;
  let end = m.len;
  // step 1: the opcode covering `index`
  let p = HLL_HDR_SIZE;
  let first = 0;
  let prev = -1;
  let span = 0;
  let opLen = 1;
  // the hot loop of the sparse form: opcode tests inlined (ZERO < 0x40 <= XZERO < 0x80 <= VAL)
  while (p < end) {
    const op = buf[p]!;
    if (op >= 0x80) {
      span = (op & 0x3) + 1;
      opLen = 1;
    } else if (op < 0x40) {
      span = op + 1;
      opLen = 1;
    } else {
      span = (((op & 0x3f) << 8) | buf[p + 1]!) + 1;
      opLen = 2;
    }
    if (index < first + span) break;
    prev = p;
    p += opLen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = buf[p]!;
  const next = p + opLen < end ? p + opLen : -1;
  const zero = isZero(op);
  const xzero = isXzero(op);
  const val = !zero && !xzero;
  const runlen = span;
  let updated = false;
  if (val) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      buf[p] = valOp(count, 1);
      updated = true;
    }
  }
  if (!updated && zero && runlen === 1) {
    buf[p] = valOp(count, 1);
    updated = true;
  }
  if (!updated) {
    // step 2: the general case, the opcode split in up to three
    const seq = SEQ;
    let n = 0;
    const last = first + span - 1;
    if (zero || xzero) {
      if (index !== first) n = putZeros(seq, n, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) n = putZeros(seq, n, last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq[n++] = valOp(cur, index - first);
      seq[n++] = valOp(count, 1);
      if (index !== last) seq[n++] = valOp(cur, last - index);
    }
    // step 3: the new sequence replaces the old opcode
    const delta = n - opLen;
    if (delta > 0 && m.len + delta > sparseMax) return promote(m, index, count);
    if (delta !== 0 && next >= 0) buf.copyWithin(next + delta, next, end);
    for (let i = 0; i < n; i++) buf[p + i] = seq[i]!;
    end += delta;
  }
  // step 4: merge adjacent VAL opcodes of the same value, from the opcode before the change
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = buf[p]!;
    if (isXzero(o)) {
      p += 2;
      continue;
    }
    if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end) {
      const o2 = buf[p + 1]!;
      if (!isZero(o2) && !isXzero(o2) && valValue(o) === valValue(o2)) {
        const len = valLen(o) + valLen(o2);
        if (len <= SPARSE_VAL_MAX_LEN) {
          buf[p + 1] = valOp(valValue(o), len);
          buf.copyWithin(p, p + 1, end);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  m.len = end;
  hllInvalidateCache(buf);
  return 1;
}

/** The split sequence being built (at most XZERO - VAL - XZERO: 5 bytes). */
const SEQ = new Uint8Array(5);

/** Writes a ZERO (up to 64) or XZERO opcode for `len` zero registers at seq[n]; returns the end. */
function putZeros(seq: Uint8Array, n: number, len: number): number {
  if (len > SPARSE_ZERO_MAX_LEN) {
    const l = len - 1;
    seq[n] = (l >>> 8) | 0x40;
    seq[n + 1] = l & 0xff;
    return n + 2;
  }
  seq[n] = len - 1;
  return n + 1;
}

function promote(m: MutableString, index: number, count: number): number {
  if (!hllSparseToDense(m)) return -1;
  denseSet(m.buf, index, count);
  return 1;
}

/** PFADD of one element: 1 when a register changed, 0 when not, -1 when corrupted. */
export function hllAdd(m: MutableString, element: string, sparseMax: number): number {
  patLen(element);
  return hllSet(m, patIndex, patCount, sparseMax);
}

/* ---- counting and merging ---- */

/**
 * Raises each of `max`'s 16384 one-byte registers to the HyperLogLog's. Returns false for a
 * corrupted sparse one (registers not exactly 16384, or a value run past the last register).
 */
export function hllMerge(max: Uint8Array, buf: Uint8Array, len: number): boolean {
  if (buf[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(buf, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = buf[p]!;
    if (isZero(op)) {
      i += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      i += xzeroLen(op, p + 1 < len ? buf[p + 1]! : 0);
      p += 2;
    } else {
      let run = valLen(op);
      const value = valValue(op);
      if (run + i > HLL_REGISTERS) return false;
      while (run-- > 0) {
        if (value > max[i]!) max[i] = value;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/**
 * The histogram of register values of a HyperLogLog (dense or sparse), or null for a corrupted
 * sparse one.
 */
function histogram(buf: Uint8Array, len: number): number[] | null {
  const h = new Array<number>(64).fill(0);
  if (buf[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) h[denseGet(buf, i)]!++;
    return h;
  }
  let idx = 0;
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = buf[p]!;
    if (isZero(op)) {
      const run = zeroLen(op);
      idx += run;
      h[0] += run;
      p++;
    } else if (isXzero(op)) {
      const run = xzeroLen(op, p + 1 < len ? buf[p + 1]! : 0);
      idx += run;
      h[0] += run;
      p += 2;
    } else {
      const run = valLen(op);
      idx += run;
      h[valValue(op)] += run;
      p++;
    }
  }
  return idx === HLL_REGISTERS ? h : null;
}

/** The histogram of one-byte registers (the union PFCOUNT of several keys builds). */
function rawHistogram(max: Uint8Array): number[] {
  const h = new Array<number>(64).fill(0);
  for (let i = 0; i < HLL_REGISTERS; i++) h[max[i]! & 63]!++;
  return h;
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

/** Ertl's improved estimator over a register histogram. */
export function estimate(h: number[]): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - h[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += h[j]!;
    z *= 0.5;
  }
  z += m * sigma(h[0]! / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

/** The estimated cardinality of a HyperLogLog, or -1 when it is corrupted. */
export function hllCount(buf: Uint8Array, len: number): number {
  const h = histogram(buf, len);
  return h === null ? -1 : estimate(h);
}

/** The estimated cardinality of the union held in `max` (one byte per register). */
export function hllCountRaw(max: Uint8Array): number {
  return estimate(rawHistogram(max));
}

/** The register values of a HyperLogLog (PFDEBUG GETREG), or null when corrupted. */
export function hllRegisters(buf: Uint8Array, len: number): Uint8Array | null {
  const regs = new Uint8Array(HLL_REGISTERS);
  return hllMerge(regs, buf, len) ? regs : null;
}

/** The sparse opcodes as text (PFDEBUG DECODE): `z:len`, `Z:len`, `v:value,len`. */
export function hllDecodeSparse(buf: Uint8Array, len: number): string | null {
  const parts: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < len) {
    const op = buf[p]!;
    if (isZero(op)) {
      parts.push(`z:${zeroLen(op)}`);
      p++;
    } else if (isXzero(op)) {
      parts.push(`Z:${xzeroLen(op, p + 1 < len ? buf[p + 1]! : 0)}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}
