/*
 * Bitmap commands, after Redis's bitops.c: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
 * BITFIELD_RO. Bitmaps are string values; writes edit a MutableString in place (a value of
 * another representation is copied into one, which then replaces it) and tell the keyspace.
 */
import {
  addSigned,
  addUnsigned,
  bytesOf,
  countBits,
  findBit,
  getSignedField,
  getUnsignedField,
  growTo,
  mutableCopy,
  OVERFLOW_FAIL,
  OVERFLOW_SAT,
  OVERFLOW_WRAP,
  setField,
  type OverflowMode,
} from '../engine/bitops.js';
import { parseInt64, type Int64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { isString, MutableString, STRING, stringLength, type StringValue } from '../engine/values.js';
import { cString, Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow, KeyRef } from '../core/command-types.js';

/**
 * Parses a bit offset as Redis's getBitOffsetFromArgument: a non-negative int64 whose byte is
 * below proto-max-bulk-len; with `bits` > 0, `#n` means n * bits (BITFIELD). Null when invalid.
 */
export function parseBitOffset(arg: string, bits: number, maxBytes: number): number | null {
  const hash = bits > 0 && arg.charCodeAt(0) === 35; // '#'
  const parsed = parseInt64(hash ? arg.slice(1) : arg);
  if (parsed === null) return null;
  if (!hash && typeof parsed === 'number') return parsed < 0 || Math.floor(parsed / 8) >= maxBytes ? null : parsed;
  let offset = BigInt(parsed);
  // as in C, the product wraps around int64
  if (hash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || offset >> 3n >= BigInt(maxBytes)) return null;
  return Number(offset);
}

function maxBytes(c: Client): number {
  return c.server.config.int('proto-max-bulk-len');
}

/** Byte `i` of a string value (0 past the end). */
function byteOf(v: StringValue, i: number): number {
  if (v instanceof MutableString) return i < v.len ? v.buf[i]! : 0;
  const s = typeof v === 'string' ? v : String(v);
  return i < s.length ? s.charCodeAt(i) : 0;
}

/**
 * The MutableString to edit for the string `v` at `key` (undefined: missing), grown to at least
 * `minLen` bytes with zeros (Redis's lookupStringForBitCommand). Side effect, the write path for
 * the edit the caller is about to make: stores it at `key` (a new key, or in place of a value of
 * another representation, keeping the TTL), or tells the keyspace the stored one changed.
 */
function bitmapForWrite(c: Client, key: string, v: StringValue | undefined, minLen: number): MutableString {
  if (v === undefined) {
    const m = new MutableString(Buffer.alloc(Math.max(minLen, 16)), minLen);
    c.db.set(key, m);
    return m;
  }
  if (v instanceof MutableString) {
    c.db.changed(key, growTo(v, minLen));
    return v;
  }
  const m = mutableCopy(v, Math.max(0, minLen - stringLength(v)));
  growTo(m, minLen);
  c.db.replace(key, v, m);
  return m;
}

/* SETBIT key offset value */
function setbitCommand(c: Client, argv: string[]): void {
  const offset = parseBitOffset(argv[2]!, 0, maxBytes(c));
  if (offset === null) return c.reply.error(Err.BIT_OFFSET);
  const on = parseInt64(argv[3]!);
  if (on !== 0 && on !== 1) return c.reply.error(Err.BIT_VALUE);
  const key = argv[1]!;
  const v = c.db.lookupWrite(key, c.now);
  if (v !== undefined && !isString(v)) return c.reply.error(Err.WRONGTYPE);
  const byte = Math.floor(offset / 8);
  const shift = 7 - (offset % 8);
  const old = (byteOf(v ?? '', byte) >> shift) & 1;
  // as Redis: nothing is written (nor propagated) when the key exists, is long enough and the
  // bit already has the value — but the value becomes raw all the same (Redis's
  // dbUnshareStringValue: a representation change, no change counted, nothing signalled)
  if (v !== undefined && byte < stringLength(v) && old === on) {
    if (!(v instanceof MutableString)) c.db.convert(key, mutableCopy(v));
    return c.reply.int(old);
  }
  const m = bitmapForWrite(c, key, v, byte + 1);
  if (on) m.buf[byte] = m.buf[byte]! | (1 << shift);
  else m.buf[byte] = m.buf[byte]! & ~(1 << shift);
  c.notify('$', 'setbit', key);
  c.reply.int(old);
}

/* GETBIT key offset */
function getbitCommand(c: Client, argv: string[]): void {
  const offset = parseBitOffset(argv[2]!, 0, maxBytes(c));
  if (offset === null) return c.reply.error(Err.BIT_OFFSET);
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  if (v === undefined) return c.reply.int(0);
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int((byteOf(v, Math.floor(offset / 8)) >> (7 - (offset % 8))) & 1);
}

/**
 * Resolves a BITCOUNT/BITPOS range over a string of `len` bytes: `start` and `end` (inclusive,
 * negative from the end) in bytes or, with `isBit`, in bits; clamped to the string. Returns
 * the range in bits [from, to], or null when it is empty.
 */
function bitRange(len: number, start: Int64, end: Int64, isBit: boolean): [number, number] | null {
  const total = isBit ? len * 8 : len;
  // beyond ±2^53 the numbers are inexact but far outside any string: clamping stays exact
  let s = Number(start);
  let e = Number(end);
  if (s < 0) s += total;
  if (e < 0) e += total;
  if (s < 0) s = 0;
  if (e < 0) e = 0;
  if (e >= total) e = total - 1;
  if (s > e) return null;
  return isBit ? [s, e] : [s * 8, e * 8 + 7];
}

/** BYTE or BIT (case-insensitive): whether it is BIT, or null for anything else. */
function parseRangeUnit(arg: string): boolean | null {
  const unit = cString(arg).toLowerCase();
  return unit === 'bit' ? true : unit === 'byte' ? false : null;
}

/* BITCOUNT key [start end [BYTE|BIT]] */
function bitcountCommand(c: Client, argv: string[]): void {
  // as Redis 7.0: the key is looked up before the arguments are parsed
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  if (v === undefined) return c.reply.int(0);
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const bytes = bytesOf(v);
  let range: [number, number] | null;
  if (argv.length === 4 || argv.length === 5) {
    const start = parseInt64(argv[2]!);
    if (start === null) return c.reply.error(Err.NOT_INTEGER);
    const end = parseInt64(argv[3]!);
    if (end === null) return c.reply.error(Err.NOT_INTEGER);
    if (start < 0 && end < 0 && BigInt(start) > BigInt(end)) return c.reply.int(0);
    let isBit = false;
    if (argv.length === 5) {
      const unit = parseRangeUnit(argv[4]!);
      if (unit === null) return c.reply.error(Err.SYNTAX);
      isBit = unit;
    }
    range = bitRange(bytes.length, start, end, isBit);
  } else if (argv.length === 2) {
    range = bytes.length === 0 ? null : [0, bytes.length * 8 - 1];
  } else {
    return c.reply.error(Err.SYNTAX);
  }
  c.reply.int(range === null ? 0 : countBits(bytes, range[0], range[1]));
}

/* BITPOS key bit [start [end [BYTE|BIT]]] */
function bitposCommand(c: Client, argv: string[]): void {
  const bit = parseInt64(argv[2]!);
  if (bit === null) return c.reply.error(Err.NOT_INTEGER);
  if (bit !== 0 && bit !== 1) return c.reply.error(Err.BITPOS_BIT);
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  // a missing key is an endless run of zero bits
  if (v === undefined) return c.reply.int(bit ? -1 : 0);
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const bytes = bytesOf(v);
  const len = bytes.length;
  let range: [number, number] | null;
  let endGiven = false;
  if (argv.length >= 4 && argv.length <= 6) {
    const start = parseInt64(argv[3]!);
    if (start === null) return c.reply.error(Err.NOT_INTEGER);
    let isBit = false;
    if (argv.length === 6) {
      const unit = parseRangeUnit(argv[5]!);
      if (unit === null) return c.reply.error(Err.SYNTAX);
      isBit = unit;
    }
    let end: Int64 = isBit ? len * 8 + 7 : len - 1;
    if (argv.length >= 5) {
      const parsed = parseInt64(argv[4]!);
      if (parsed === null) return c.reply.error(Err.NOT_INTEGER);
      end = parsed;
      endGiven = true;
    }
    range = bitRange(len, start, end, isBit);
  } else if (argv.length === 3) {
    range = len === 0 ? null : [0, len * 8 - 1];
  } else {
    return c.reply.error(Err.SYNTAX);
  }
  // an empty range holds neither a 0 nor a 1
  if (range === null) return c.reply.int(-1);
  const pos = findBit(bytes, range[0], range[1], bit as 0 | 1);
  if (pos >= 0 || bit === 1) return c.reply.int(pos);
  // no clear bit in the range: without an explicit end the string continues with zeros, so
  // the answer is the first bit after the range's last byte
  c.reply.int(endGiven ? -1 : (Math.floor(range[1] / 8) + 1) * 8);
}

const BITOP_AND = 0;
const BITOP_OR = 1;
const BITOP_XOR = 2;
const BITOP_NOT = 3;

function parseBitop(name: string): number | null {
  // compared as C strings (strcasecmp), as Redis does: up to a NUL byte
  switch (cString(name).toLowerCase()) {
    case 'and': return BITOP_AND;
    case 'or': return BITOP_OR;
    case 'xor': return BITOP_XOR;
    case 'not': return BITOP_NOT;
    default: return null;
  }
}

/**
 * The bitwise `op` of `sources` (missing bytes of shorter strings read as 0), as long as the
 * longest; NOT takes one source.
 */
export function bitop(op: number, sources: Uint8Array[]): Buffer {
  let max = 0;
  for (const s of sources) if (s.length > max) max = s.length;
  const out = Buffer.alloc(max);
  if (op === BITOP_NOT) {
    const s = sources[0]!;
    for (let i = 0; i < max; i++) out[i] = ~s[i]! & 0xff;
    return out;
  }
  out.set(sources[0]!);
  for (let j = 1; j < sources.length; j++) {
    const s = sources[j]!;
    const n = s.length;
    if (op === BITOP_AND) {
      for (let i = 0; i < n; i++) out[i] = out[i]! & s[i]!;
      out.fill(0, n);
    } else if (op === BITOP_OR) {
      for (let i = 0; i < n; i++) out[i] = out[i]! | s[i]!;
    } else {
      for (let i = 0; i < n; i++) out[i] = out[i]! ^ s[i]!;
    }
  }
  return out;
}

/* BITOP AND|OR|XOR|NOT destkey key [key ...] */
function bitopCommand(c: Client, argv: string[]): void {
  const op = parseBitop(argv[1]!);
  if (op === null) return c.reply.error(Err.SYNTAX);
  if (op === BITOP_NOT && argv.length !== 4) return c.reply.error(Err.BITOP_NOT_ONE_KEY);
  const sources: Uint8Array[] = [];
  for (let i = 3; i < argv.length; i++) {
    const v = c.db.readOf(argv[i]!, STRING, c.now);
    if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
    sources.push(v === undefined ? EMPTY : bytesOf(v));
  }
  const result = bitop(op, sources);
  const dest = argv[2]!;
  if (result.length > 0) {
    // stored raw, as Redis stores the result without trying a shorter encoding
    c.db.set(dest, new MutableString(result, result.length));
    c.notify('$', 'set', dest);
  } else if (c.db.lookupWrite(dest, c.now) !== undefined) {
    // an empty result deletes the destination
    c.db.delete(dest);
    c.notify('g', 'del', dest);
  }
  c.reply.int(result.length);
}

const EMPTY = new Uint8Array(0);

const OP_GET = 0;
const OP_SET = 1;
const OP_INCRBY = 2;

interface FieldOp {
  op: number;
  signed: boolean;
  bits: number;
  offset: number;
  value: bigint;
  overflow: OverflowMode;
}

/**
 * Parses a BITFIELD type, `i1`..`i64` or `u1`..`u63` (lowercase, as Redis): [signed, bits], or
 * null.
 */
export function parseFieldType(arg: string): [boolean, number] | null {
  const sign = arg.charCodeAt(0);
  if (sign !== 105 && sign !== 117) return null; // 'i', 'u'
  // Redis reads the width as a C string: it stops at a NUL byte
  const bits = parseInt64(cString(arg.slice(1)));
  if (bits === null || bits < 1 || (sign === 105 && bits > 64) || (sign === 117 && bits > 63)) return null;
  return [sign === 105, Number(bits)];
}

/**
 * Parses BITFIELD's operations from argv[2]: the list, or an error text (the first problem, in
 * argument order, as Redis reports it).
 */
export function parseBitfieldOps(argv: string[], maxBytes: number): FieldOp[] | string {
  const ops: FieldOp[] = [];
  let overflow: OverflowMode = OVERFLOW_WRAP;
  for (let j = 2; j < argv.length; j++) {
    const rest = argv.length - j - 1;
    // keywords compare as C strings (strcasecmp), up to a NUL byte, as in Redis
    const sub = cString(argv[j]!).toLowerCase();
    let op: number;
    if (sub === 'get' && rest >= 2) op = OP_GET;
    else if (sub === 'set' && rest >= 3) op = OP_SET;
    else if (sub === 'incrby' && rest >= 3) op = OP_INCRBY;
    else if (sub === 'overflow' && rest >= 1) {
      const mode = cString(argv[++j]!).toLowerCase();
      if (mode === 'wrap') overflow = OVERFLOW_WRAP;
      else if (mode === 'sat') overflow = OVERFLOW_SAT;
      else if (mode === 'fail') overflow = OVERFLOW_FAIL;
      else return Err.BITFIELD_OVERFLOW_TYPE;
      continue;
    } else return Err.SYNTAX;
    const type = parseFieldType(argv[j + 1]!);
    if (type === null) return Err.BITFIELD_TYPE;
    const offset = parseBitOffset(argv[j + 2]!, type[1], maxBytes);
    if (offset === null) return Err.BIT_OFFSET;
    let value = 0n;
    if (op !== OP_GET) {
      const parsed = parseInt64(argv[j + 3]!);
      if (parsed === null) return Err.NOT_INTEGER;
      value = BigInt(parsed);
    }
    ops.push({ op, signed: type[0], bits: type[1], offset, value, overflow });
    j += op === OP_GET ? 2 : 3;
  }
  return ops;
}

/* BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset value | INCRBY type offset increment ...] */
function bitfieldCommand(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

/* BITFIELD_RO key [GET type offset ...] */
function bitfieldRoCommand(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

function bitfieldGeneric(c: Client, argv: string[], readOnly: boolean): void {
  const ops = parseBitfieldOps(argv, maxBytes(c));
  if (typeof ops === 'string') return c.reply.error(ops);
  const key = argv[1]!;
  let highest = -1;
  for (const op of ops) if (op.op !== OP_GET && op.offset + op.bits - 1 > highest) highest = op.offset + op.bits - 1;
  let buf: Uint8Array;
  let len: number;
  // Redis's bitfieldGeneric: a write op counts a change when the key was created or grew, or when
  // it changed the field; with no change nothing is signalled, counted or propagated
  let created = false;
  let grew = false;
  if (highest < 0) {
    // only reads: a missing key reads as zeros
    const v = c.db.readOf(key, STRING, c.now);
    if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
    buf = v === undefined ? EMPTY : bytesOf(v);
    len = buf.length;
  } else {
    if (readOnly) return c.reply.error(Err.BITFIELD_RO_GET_ONLY);
    const v = c.db.lookupWrite(key, c.now);
    if (v !== undefined && !isString(v)) return c.reply.error(Err.WRONGTYPE);
    // the string grows to hold the farthest field written, even when every write fails
    const minLen = Math.floor(highest / 8) + 1;
    let m: MutableString;
    if (v === undefined) {
      m = new MutableString(Buffer.alloc(Math.max(minLen, 16)), minLen);
      c.db.set(key, m);
      created = true;
    } else {
      grew = stringLength(v) < minLen;
      m = v instanceof MutableString ? v : mutableCopy(v, Math.max(0, minLen - stringLength(v)));
      const delta = growTo(m, minLen);
      if (m !== v) c.db.convert(key, m);
      else c.db.reencoded(key, delta);
    }
    buf = m.buf;
    len = m.len;
  }
  let changes = 0;
  c.reply.array(ops.length);
  for (const op of ops) {
    const old = op.signed ? getSignedField(buf, len, op.offset, op.bits) : getUnsignedField(buf, len, op.offset, op.bits);
    if (op.op === OP_GET) {
      c.reply.int(old);
      continue;
    }
    const add = op.signed ? addSigned : addUnsigned;
    // SET checks its value as an increment of 0 from it (an unsigned field takes it as uint64)
    const r = op.op === OP_INCRBY ? add(old, op.value, op.bits, op.overflow) : add(op.signed ? op.value : BigInt.asUintN(64, op.value), 0n, op.bits, op.overflow);
    if (r.overflow && op.overflow === OVERFLOW_FAIL) {
      c.reply.nil();
      continue;
    }
    setField(buf, op.offset, op.bits, r.value);
    if (created || grew || r.value !== old) changes++;
    c.reply.int(op.op === OP_INCRBY ? r.value : old);
  }
  if (changes === 0) {
    // a key created only to fail every write still exists, uncounted (as Redis's dbAdd)
    if (created) c.db.countChanges(-1);
    return;
  }
  if (created) c.db.countChanges(changes - 1);
  else {
    c.db.changed(key);
    c.db.countChanges(changes - 1);
  }
  c.notify('$', 'setbit', key);
}

/**
 * BITFIELD's key for COMMAND GETKEYSANDFLAGS (Redis's bitfieldGetKeys): only read when every
 * operation is a GET (OVERFLOW aside), else read and written (a syntax error counts as a write).
 */
function bitfieldGetKeys(argv: readonly string[]): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const left = argv.length - i - 1;
    const op = argv[i]!.toLowerCase();
    if (op === 'get' && left >= 2) i += 2;
    else if (op === 'overflow' && left >= 1) i += 1;
    else {
      readonly = false; // SET, INCRBY, or a syntax error
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? ['RO', 'access'] : ['RW', 'access', 'update'] }];
}

export const bitmapCommands: CommandRow[] = [
  { name: 'setbit', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@bitmap', handler: setbitCommand },
  { name: 'getbit', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@bitmap', handler: getbitCommand },
  { name: 'bitcount', arity: -2, flags: 'readonly', keys: [1, 1, 1], categories: '@bitmap', handler: bitcountCommand },
  { name: 'bitpos', arity: -3, flags: 'readonly', keys: [1, 1, 1], categories: '@bitmap', handler: bitposCommand },
  { name: 'bitop', arity: -4, flags: 'write denyoom', keys: [2, -1, 1], categories: '@bitmap', handler: bitopCommand },
  { name: 'bitfield', arity: -2, flags: 'write denyoom', keys: [1, 1, 1], categories: '@bitmap', handler: bitfieldCommand, getKeys: bitfieldGetKeys },
  { name: 'bitfield_ro', arity: -2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@bitmap', handler: bitfieldRoCommand },
];
