/*
 * Bit operations on byte strings, as Redis's bitmap commands see them: bit 0 is the most
 * significant bit of byte 0, and bits past the end of the string read as 0. Pure functions over
 * byte arrays (and MutableString, for growth); they never reply.
 */
import { MutableString, stringOf, type StringValue } from './values.js';

/** Number of set bits of every byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

/** Set bits in bytes [from, to) of `buf`. */
export function popcount(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += POPCOUNT[buf[i]!]!;
  return n;
}

/**
 * Set bits among bits [fromBit, toBit] (inclusive) of `buf`, both within the string.
 */
export function countBits(buf: Uint8Array, fromBit: number, toBit: number): number {
  const first = Math.floor(fromBit / 8);
  const last = Math.floor(toBit / 8);
  // the bits of the edge bytes that lie outside the range
  const headMask = 0xff << (8 - (fromBit % 8)) & 0xff;
  const tailMask = (1 << (7 - (toBit % 8))) - 1;
  let n = popcount(buf, first, last + 1);
  n -= POPCOUNT[buf[first]! & headMask]!;
  n -= POPCOUNT[buf[last]! & tailMask]!;
  return n;
}

/**
 * The position of the first bit equal to `bit` among bits [fromBit, toBit] (inclusive, within the
 * string) of `buf`, or -1 when there is none.
 */
export function findBit(buf: Uint8Array, fromBit: number, toBit: number, bit: 0 | 1): number {
  const skip = bit === 1 ? 0x00 : 0xff;
  let pos = fromBit;
  // the bits before the first whole byte
  while (pos <= toBit && pos % 8 !== 0) {
    if (bitAt(buf, pos) === bit) return pos;
    pos++;
  }
  // whole bytes that cannot hold the bit are skipped a byte at a time
  let byte = pos / 8;
  const lastWhole = Math.floor((toBit + 1) / 8); // bytes [byte, lastWhole) are whole
  while (byte < lastWhole && buf[byte] === skip) byte++;
  pos = byte * 8;
  while (pos <= toBit) {
    if (bitAt(buf, pos) === bit) return pos;
    pos++;
  }
  return -1;
}

/** Bit `pos` of `buf` (0 past the end). */
export function bitAt(buf: Uint8Array, pos: number): 0 | 1 {
  const byte = Math.floor(pos / 8);
  if (byte >= buf.length) return 0;
  return ((buf[byte]! >> (7 - (pos % 8))) & 1) as 0 | 1;
}

/** The bytes of a string value, without copying a MutableString's buffer. */
export function bytesOf(v: StringValue): Uint8Array {
  if (v instanceof MutableString) return v.buf.subarray(0, v.len);
  return Buffer.from(stringOf(v), 'latin1');
}

/**
 * Grows `m` to at least `minLen` bytes, zero-filling the new bytes (Redis's sdsgrowzero).
 * Returns how many bytes its buffer grew by, for memory accounting.
 */
export function growTo(m: MutableString, minLen: number): number {
  if (minLen <= m.len) return 0;
  const before = m.buf.length;
  m.reserve(minLen);
  m.buf.fill(0, m.len, minLen);
  m.len = minLen;
  return m.buf.length - before;
}

/** A MutableString holding the bytes of `v` (a new one; `v` is left alone). */
export function mutableCopy(v: StringValue, extra = 0): MutableString {
  if (v instanceof MutableString) {
    const buf = Buffer.alloc(Math.max(v.len + extra, 16));
    v.buf.copy(buf, 0, 0, v.len);
    return new MutableString(buf, v.len);
  }
  return MutableString.from(stringOf(v), extra);
}

/* BITFIELD integers: fields of 1 to 64 bits at any bit offset, read and written as BigInt
 * (the command's arithmetic is int64/uint64 exactly as Redis computes it). */

/** The unsigned value of the `bits`-bit field at bit `offset` (bits past the end read as 0). */
export function getUnsignedField(buf: Uint8Array, len: number, offset: number, bits: number): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i++) {
    const pos = offset + i;
    const byte = Math.floor(pos / 8);
    const b = byte < len ? (buf[byte]! >> (7 - (pos % 8))) & 1 : 0;
    v = (v << 1n) | BigInt(b);
  }
  return v;
}

/** The signed (two's complement) value of the `bits`-bit field at bit `offset`. */
export function getSignedField(buf: Uint8Array, len: number, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsignedField(buf, len, offset, bits));
}

/** Writes the low `bits` bits of `value` at bit `offset` (the buffer must hold them). */
export function setField(buf: Uint8Array, offset: number, bits: number, value: bigint): void {
  const v = BigInt.asUintN(64, value);
  for (let i = 0; i < bits; i++) {
    const bit = Number((v >> BigInt(bits - 1 - i)) & 1n);
    const pos = offset + i;
    const byte = Math.floor(pos / 8);
    const mask = 1 << (7 - (pos % 8));
    if (bit) buf[byte] = buf[byte]! | mask;
    else buf[byte] = buf[byte]! & ~mask;
  }
}

export const OVERFLOW_WRAP = 0;
export const OVERFLOW_SAT = 1;
export const OVERFLOW_FAIL = 2;
export type OverflowMode = typeof OVERFLOW_WRAP | typeof OVERFLOW_SAT | typeof OVERFLOW_FAIL;

const I64 = (x: bigint): bigint => BigInt.asIntN(64, x);
const U64 = (x: bigint): bigint => BigInt.asUintN(64, x);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * The result of adding `incr` to `value` in a field of `bits` bits: `overflow` is whether it
 * left the field's range, `value` what to store (wrapped, saturated, or the plain sum). The
 * range tests use int64 arithmetic as Redis does, including where its intermediate differences
 * wrap (so SET i8 with -2^63 saturates high, as in Redis).
 */
export interface FieldResult {
  overflow: boolean;
  value: bigint;
}

export function addSigned(value: bigint, incr: bigint, bits: number, mode: OverflowMode): FieldResult {
  const max = bits === 64 ? INT64_MAX : (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxIncr = I64(U64(max) - U64(value));
  const minIncr = I64(min - value);
  let dir = 0;
  if (value > max || (bits !== 64 && incr > maxIncr) || (value >= 0n && incr > 0n && incr > maxIncr)) dir = 1;
  else if (value < min || (bits !== 64 && incr < minIncr) || (value < 0n && incr < 0n && incr < minIncr)) dir = -1;
  if (dir === 0) return { overflow: false, value: value + incr };
  if (mode === OVERFLOW_SAT) return { overflow: true, value: dir > 0 ? max : min };
  return { overflow: true, value: BigInt.asIntN(bits, value + incr) };
}

export function addUnsigned(value: bigint, incr: bigint, bits: number, mode: OverflowMode): FieldResult {
  const max = (1n << BigInt(bits)) - 1n;
  const maxIncr = I64(max - value);
  const minIncr = I64(-value);
  let dir = 0;
  if (value > max || (incr > 0n && incr > maxIncr)) dir = 1;
  else if (incr < 0n && incr < minIncr) dir = -1;
  if (dir === 0) return { overflow: false, value: value + incr };
  if (mode === OVERFLOW_SAT) return { overflow: true, value: dir > 0 ? max : 0n };
  return { overflow: true, value: BigInt.asUintN(bits, value + incr) };
}
