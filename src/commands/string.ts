/*
 * String commands, after Redis's t_string.c.
 */
import { addInt64, INT64_MIN, negateInt64, parseInt64, type Int64, int64Text } from '../engine/int64.js';
import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from '../engine/long-double.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { VT_KEEP_INT } from '../engine/value-type.js';
import { encodeString, isString, MutableString, STRING, stringLength, stringOf, type StringValue, type Value } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow, KeyRef, RequestRanges } from '../core/command-types.js';
import type { Reply } from '../resp/writer.js';
import { latin1 } from '../resp/short-strings.js';
import { isDigestText } from '../engine/digest.js';
import { setConditionHolds } from './cas.js';

/* GET key */
function getCommand(c: Client, argv: string[]): void {
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  if (v === undefined) c.reply.nil();
  else if (v === WRONGTYPE) c.reply.error(Err.WRONGTYPE);
  else c.reply.bulk(stringOf(v));
}

/**
 * GET key with the key as bytes of the read buffer (dispatch's runRange): a plain string's bytes
 * go from its record straight into the reply. Declines (false) whatever getCommand would do
 * differently from "found a plain string / found nothing": expiry, another encoding, WRONGTYPE.
 */
function getRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  const db = c.db;
  const found = db.lookupBytesRead(buf, r.keyStart, r.keyEnd, c.now);
  if (found < 0) return false;
  if (found === 0) out.nil();
  else out.bulkBytes(db.rangeBytes, db.rangeStart, db.rangeEnd);
  return true;
}

/**
 * SET key value (no options) with both as bytes of the read buffer. Declines while keyspace
 * notifications are on (the `set` event names the key) and for values setBytes declines.
 */
function setRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  if (c.server.notifier !== null) return false;
  if (!c.db.setBytes(buf, r.keyStart, r.keyEnd, r.valueStart, r.valueEnd)) return false;
  out.ok();
  return true;
}

/**
 * INCR key / DECR key with the key as bytes of the read buffer: an integer held as such (or a
 * missing key) is added to in its record. Declines while keyspace notifications are on (the
 * `incrby` event names the key) and whatever Database.incrBytes declines.
 */
function incrRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  return incrDecrRange(c, out, buf, r, 1);
}

function decrRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  return incrDecrRange(c, out, buf, r, -1);
}

function incrDecrRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges, incr: number): boolean {
  if (c.server.notifier !== null) return false;
  const sum = c.db.incrBytes(buf, r.keyStart, r.keyEnd, incr, c.now);
  if (sum === null) return false;
  out.int(sum);
  return true;
}

export const SET_NX = 1;
export const SET_XX = 2;
export const SET_GET = 4;
export const SET_KEEPTTL = 8;
export const SET_PERSIST = 16;
/* Redis 8.4's compare-and-set conditions (SET … IFEQ|IFNE|IFDEQ|IFDNE cmp): commands/cas.ts */
export const SET_IFEQ = 32;
export const SET_IFNE = 64;
export const SET_IFDEQ = 128;
export const SET_IFDNE = 256;
const SET_CONDITIONS = SET_NX | SET_XX | SET_IFEQ | SET_IFNE | SET_IFDEQ | SET_IFDNE;
const SET_IF_ANY = SET_IFEQ | SET_IFNE | SET_IFDEQ | SET_IFDNE;

export interface SetOptions {
  flags: number;
  /** absolute expiry time in ms, or undefined for none */
  expireAt: number | undefined;
  /** the IFEQ/IFNE value or IFDEQ/IFDNE digest */
  cmp?: string;
}

/** SET's and GETEX's options, before the expire time is checked. */
export interface ExtendedStringArgs {
  flags: number;
  /** ex, px, exat or pxat; '' for none */
  unit: string;
  expireArg: string;
  /** the IFEQ/IFNE value or IFDEQ/IFDNE digest ('' without one) */
  cmp: string;
}

/**
 * Parses the options of SET (from argv[3]: `NX|XX`, `GET`, `EX|PX|EXAT|PXAT t`, `KEEPTTL`) or of
 * GETEX (from argv[2]: `EX|PX|EXAT|PXAT t`, `PERSIST`), as Redis's parseExtendedStringArguments:
 * an option may repeat (the last expire time wins), but conflicting ones (NX with XX, two expire
 * units, KEEPTTL or PERSIST with an expire) are a syntax error. Returns them or an error text.
 */
export function parseExtendedStringArgs(argv: string[], forSet: boolean): ExtendedStringArgs | string {
  let flags = 0;
  let unit = '';
  let expireArg = '';
  let cmp = '';
  for (let i = forSet ? 3 : 2; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const hasNext = i + 1 < argv.length;
    if (opt === 'nx' && forSet && !(flags & (SET_CONDITIONS & ~SET_NX))) flags |= SET_NX;
    else if (opt === 'xx' && forSet && !(flags & (SET_CONDITIONS & ~SET_XX))) flags |= SET_XX;
    else if (forSet && hasNext && opt.startsWith('if') && IF_FLAGS[opt] !== undefined && !(flags & (SET_CONDITIONS & ~IF_FLAGS[opt]!))) {
      flags |= IF_FLAGS[opt]!;
      cmp = argv[++i]!;
    }
    else if (opt === 'get' && forSet) flags |= SET_GET;
    else if (opt === 'keepttl' && forSet && unit === '') flags |= SET_KEEPTTL;
    else if (opt === 'persist' && !forSet && unit === '') flags |= SET_PERSIST;
    else if (
      (opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') &&
      (unit === '' || unit === opt) &&
      !(flags & (SET_KEEPTTL | SET_PERSIST)) &&
      hasNext
    ) {
      unit = opt;
      expireArg = argv[++i]!;
    } else return Err.SYNTAX;
  }
  if (flags & (SET_IFDEQ | SET_IFDNE) && !isDigestText(cmp)) return Err.DIGEST_NOT_16_HEX;
  return { flags, unit, expireArg, cmp };
}

const IF_FLAGS: Record<string, number | undefined> = { ifeq: SET_IFEQ, ifne: SET_IFNE, ifdeq: SET_IFDEQ, ifdne: SET_IFDNE };

/** Parses SET's options (see parseExtendedStringArgs) and checks its expire time. */
export function parseSetOptions(argv: string[], now: number, cmd: string): SetOptions | string {
  const args = parseExtendedStringArgs(argv, true);
  if (typeof args === 'string') return args;
  let expireAt: number | undefined;
  if (args.unit !== '') {
    const at = expireTime(args.expireArg, args.unit, now, cmd);
    if (typeof at === 'string') return at;
    expireAt = at;
  }
  return args.flags & SET_IF_ANY ? { flags: args.flags, expireAt, cmp: args.cmp } : { flags: args.flags, expireAt };
}

/**
 * Converts an expire argument in `unit` (ex, px, exat, pxat) to an absolute time in ms, or an
 * error text. Non-positive and overflowing times are "invalid expire time", as in Redis.
 */
export function expireTime(arg: string, unit: string, now: number, cmd: string): number | string {
  const v = parseInt64(arg);
  if (v === null) return Err.NOT_INTEGER;
  let ms = BigInt(v);
  if (ms <= 0n) return Err.INVALID_EXPIRE(cmd);
  if (unit === 'ex' || unit === 'exat') ms *= 1000n;
  if (unit === 'ex' || unit === 'px') ms += BigInt(now);
  if (ms > 9223372036854775807n) return Err.INVALID_EXPIRE(cmd);
  return Number(ms);
}

/**
 * The shared body of SET, SETNX, SETEX, PSETEX and GETSET. Stores `value` at `key` unless the
 * NX/XX condition fails; with SET_GET replies the old value, else `okReply` or `abortReply`.
 */
export function setGeneric(
  c: Client,
  key: string,
  value: string,
  opts: SetOptions,
  okReply: (c: Client) => void,
  abortReply: (c: Client) => void,
): void {
  const db = c.db;
  const flags = opts.flags;
  let old: Value | undefined;
  if (flags !== 0) {
    // SET … GET reads the old value as GET does (a keyspace hit or miss)
    old = flags & SET_GET ? db.lookupRead(key, c.now) : db.lookupWrite(key, c.now);
    if (flags & (SET_GET | SET_IF_ANY) && old !== undefined && !isString(old)) return c.reply.error(Err.WRONGTYPE);
    if (
      ((flags & SET_NX) && old !== undefined) ||
      ((flags & SET_XX) && old === undefined) ||
      (flags & SET_IF_ANY && !setConditionHolds(flags, opts.cmp!, old as StringValue | undefined))
    ) {
      if (flags & SET_GET) replyOld(c, old);
      else abortReply(c);
      return;
    }
  }
  db.set(key, encodeString(value), (flags & SET_KEEPTTL) !== 0, 0, opts.expireAt);
  c.notify('$', 'set', key);
  if (opts.expireAt !== undefined) {
    c.notify('g', 'expire', key);
    // a relative expiry propagates as an absolute one (Redis: SET key value PXAT ms)
    c.rewrite('SET', key, value, 'PXAT', int64Text(opts.expireAt));
  } else if (flags & SET_IF_ANY) {
    // the condition held here: replicas set without re-testing it
    if (flags & SET_KEEPTTL) c.rewrite('SET', key, value, 'KEEPTTL');
    else c.rewrite('SET', key, value);
  }
  if (flags & SET_GET) replyOld(c, old);
  else okReply(c);
}

function replyOld(c: Client, old: Value | undefined): void {
  if (old === undefined) c.reply.nil();
  else c.reply.bulk(stringOf(old as StringValue));
}

export const replyOk = (c: Client): void => c.reply.ok();
export const replyNil = (c: Client): void => c.reply.nil();
export const replyOne = (c: Client): void => c.reply.int(1);
export const replyZero = (c: Client): void => c.reply.int(0);

const NO_OPTIONS: SetOptions = { flags: 0, expireAt: undefined };

/* SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
function setCommand(c: Client, argv: string[]): void {
  let opts = NO_OPTIONS;
  if (argv.length > 3) {
    const parsed = parseSetOptions(argv, c.now, 'set');
    if (typeof parsed === 'string') return c.reply.error(parsed);
    opts = parsed;
  }
  setGeneric(c, argv[1]!, argv[2]!, opts, replyOk, replyNil);
}

const NX_OPTIONS: SetOptions = { flags: SET_NX, expireAt: undefined };
const GET_OPTIONS: SetOptions = { flags: SET_GET, expireAt: undefined };

/* SETNX key value */
function setnxCommand(c: Client, argv: string[]): void {
  setGeneric(c, argv[1]!, argv[2]!, NX_OPTIONS, replyOne, replyZero);
}

/* SETEX key seconds value */
function setexCommand(c: Client, argv: string[]): void {
  setexGeneric(c, argv, 'ex', 'setex');
}

/* PSETEX key milliseconds value */
function psetexCommand(c: Client, argv: string[]): void {
  setexGeneric(c, argv, 'px', 'psetex');
}

function setexGeneric(c: Client, argv: string[], unit: string, cmd: string): void {
  const at = expireTime(argv[2]!, unit, c.now, cmd);
  if (typeof at === 'string') return c.reply.error(at);
  setGeneric(c, argv[1]!, argv[3]!, { flags: 0, expireAt: at }, replyOk, replyNil);
}

/* GETSET key value */
function getsetCommand(c: Client, argv: string[]): void {
  setGeneric(c, argv[1]!, argv[2]!, GET_OPTIONS, replyOk, replyNil);
}

/* GETDEL key */
function getdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.readOf(key, STRING, c.now);
  if (v === undefined) return c.reply.nil();
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.bulk(stringOf(v));
  c.db.delete(key);
  c.notify('g', 'del', key);
  c.rewrite('DEL', key);
}

/* GETEX key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST] */
function getexCommand(c: Client, argv: string[]): void {
  const args = parseExtendedStringArgs(argv, false);
  if (typeof args === 'string') return c.reply.error(args);
  const key = argv[1]!;
  const v = c.db.readOf(key, STRING, c.now);
  if (v === undefined) return c.reply.nil();
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  // as Redis: the expire time is checked only once the key is known to hold a string
  let at: number | undefined;
  if (args.unit !== '') {
    const parsed = expireTime(args.expireArg, args.unit, c.now, 'getex');
    if (typeof parsed === 'string') return c.reply.error(parsed);
    at = parsed;
  }
  c.reply.bulk(stringOf(v));
  if (at !== undefined) {
    if (at <= c.now) {
      c.db.delete(key);
      c.notify('g', 'del', key);
      c.rewrite('DEL', key);
    } else {
      c.db.setExpire(key, at);
      c.notify('g', 'expire', key);
      c.rewrite('PEXPIREAT', key, int64Text(at));
    }
  } else if (args.flags & SET_PERSIST) {
    if (c.db.persist(key)) {
      c.notify('g', 'persist', key);
      c.rewrite('PERSIST', key);
    } else c.rewrite();
  } else {
    c.rewrite();
  }
}

/* MGET key [key ...] */
function mgetCommand(c: Client, argv: string[]): void {
  c.reply.array(argv.length - 1);
  for (let i = 1; i < argv.length; i++) {
    const v = c.db.lookupRead(argv[i]!, c.now);
    // keys holding other types read as missing, without WRONGTYPE
    if (v === undefined || !isString(v)) c.reply.nil();
    else c.reply.bulk(stringOf(v));
  }
}

/**
 * MGET with the keys as bytes of the read buffer (`r.keys`: the binary protocol's MGET frame): a
 * plain string or a missing key is answered from its record (GET's range form); any other key
 * (expired, another encoding or type) is looked up by its string as mgetCommand does. Declines
 * only a request of one key given the single-key way (nothing is done before that).
 */
function mgetRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  const keys = r.keys;
  const n = r.keyCount;
  if (keys === undefined || n === undefined) return false;
  const db = c.db;
  let looked = false;
  out.array(n);
  for (let i = 0; i < 2 * n; i += 2) {
    const found = db.lookupBytesRead(buf, keys[i]!, keys[i + 1]!, c.now);
    if (found === 0) out.nil();
    else if (found > 0) out.bulkBytes(db.rangeBytes, db.rangeStart, db.rangeEnd);
    else {
      looked = true;
      const v = db.lookupRead(latin1(buf, keys[i]!, keys[i + 1]!), c.now);
      if (v === undefined || !isString(v)) out.nil();
      else out.bulk(stringOf(v));
    }
  }
  // a small collection read by its string is packed again, as after any command (dispatch's execute)
  if (looked) c.server.keyspace.settle();
  return true;
}

/* MSET key value [key value ...] */
function msetCommand(c: Client, argv: string[]): void {
  msetGeneric(c, argv, false);
}

/* MSETNX key value [key value ...] */
function msetnxCommand(c: Client, argv: string[]): void {
  msetGeneric(c, argv, true);
}

/** MSET and MSETNX: with `nx`, sets nothing (and replies 0) when any of the keys exists. */
function msetGeneric(c: Client, argv: string[], nx: boolean): void {
  if (argv.length % 2 === 0) return c.reply.error(Err.WRONG_ARITY(nx ? 'msetnx' : 'mset'));
  if (nx) {
    for (let i = 1; i < argv.length; i += 2) {
      if (c.db.lookupWrite(argv[i]!, c.now) !== undefined) return c.reply.int(0);
    }
  }
  for (let i = 1; i < argv.length; i += 2) {
    c.db.set(argv[i]!, encodeString(argv[i + 1]!));
    c.notify('$', 'set', argv[i]!);
  }
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

/**
 * Whether a string of `size` + `extra` bytes is within proto-max-bulk-len; replies the error
 * when it is not.
 */
function checkStringLength(c: Client, size: number, extra: number): boolean {
  if (size + extra <= c.server.config.int('proto-max-bulk-len')) return true;
  c.reply.error(Err.STRING_TOO_LONG);
  return false;
}

/**
 * The string at `key` as a MutableString that can change in place: `v` itself, or a copy
 * with room for `extra` more bytes stored at `key` (keeping its TTL).
 */
function mutableAt(c: Client, key: string, v: StringValue, extra: number): MutableString {
  if (v instanceof MutableString) return v;
  const m = MutableString.from(stringOf(v), extra);
  c.db.convert(key, m);
  return m;
}

/**
 * Writes `s` into `m` at `offset`, zero-filling any gap past the end. Side effect: tells the
 * keyspace the value at `key` changed (the write path for in-place edits), and by how much.
 */
function writeAt(c: Client, key: string, m: MutableString, offset: number, s: string): void {
  const before = m.buf.length;
  fillAt(m, offset, s);
  c.db.changed(key, m.buf.length - before);
}

/** writeAt's bytes part: `s` into `m` at `offset`, zero-filling any gap past the end. */
function fillAt(m: MutableString, offset: number, s: string): void {
  const end = offset + s.length;
  m.reserve(end);
  if (offset > m.len) m.buf.fill(0, m.len, offset);
  m.buf.latin1Write(s, offset);
  if (end > m.len) m.len = end;
}

/* APPEND key value */
function appendCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const tail = argv[2]!;
  const v = c.db.lookupWrite(key, c.now);
  if (v === undefined) {
    // a new key holds the value as SET would store it
    c.db.set(key, encodeString(tail));
    c.notify('$', 'append', key);
    return c.reply.int(tail.length);
  }
  if (!isString(v)) return c.reply.error(Err.WRONGTYPE);
  const len = stringLength(v);
  if (!checkStringLength(c, len, tail.length)) return;
  const m = mutableAt(c, key, v, tail.length);
  writeAt(c, key, m, len, tail);
  c.notify('$', 'append', key);
  c.reply.int(m.len);
}

/* STRLEN key */
function strlenCommand(c: Client, argv: string[]): void {
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  if (v === undefined) c.reply.int(0);
  else if (v === WRONGTYPE) c.reply.error(Err.WRONGTYPE);
  else c.reply.int(stringLength(v));
}

/* SETRANGE key offset value */
function setrangeCommand(c: Client, argv: string[]): void {
  const parsed = parseInt64(argv[2]!);
  if (parsed === null) return c.reply.error(Err.NOT_INTEGER);
  if (parsed < 0) return c.reply.error(Err.OFFSET_RANGE);
  const offset = Number(parsed);
  const key = argv[1]!;
  const value = argv[3]!;
  const v = c.db.lookupWrite(key, c.now);
  let m: MutableString;
  if (v === undefined) {
    if (value.length === 0) return c.reply.int(0);
    if (!checkStringLength(c, offset, value.length)) return;
    m = MutableString.from('', offset + value.length);
    fillAt(m, offset, value);
    c.db.set(key, m);
  } else {
    if (!isString(v)) return c.reply.error(Err.WRONGTYPE);
    if (value.length === 0) return c.reply.int(stringLength(v));
    if (!checkStringLength(c, offset, value.length)) return;
    m = mutableAt(c, key, v, Math.max(0, offset + value.length - stringLength(v)));
    writeAt(c, key, m, offset, value);
  }
  c.notify('$', 'setrange', key);
  c.reply.int(m.len);
}

/**
 * The byte range [from, to) that GETRANGE returns for `start`..`end` (inclusive, negative
 * counting from the end) on a string of `len` bytes, or null when it is empty. Follows Redis:
 * both negative with start > end is empty; then clamp to the string.
 */
export function rangeOf(len: number, start: Int64, end: Int64): [number, number] | null {
  const startAfterEnd = typeof start === typeof end ? start > end : BigInt(start) > BigInt(end);
  if (start < 0 && end < 0 && startAfterEnd) return null;
  // beyond ±2^53 the Numbers are inexact, but still far outside the string: clamping is exact
  let from = Number(start);
  let to = Number(end);
  if (from < 0) from += len;
  if (to < 0) to += len;
  if (from < 0) from = 0;
  if (to < 0) to = 0;
  if (to >= len) to = len - 1;
  if (from > to || len === 0) return null;
  return [from, to + 1];
}

/* GETRANGE key start end (and SUBSTR, its old name) */
function getrangeCommand(c: Client, argv: string[]): void {
  const start = parseInt64(argv[2]!);
  const end = parseInt64(argv[3]!);
  if (start === null || end === null) return c.reply.error(Err.NOT_INTEGER);
  const v = c.db.readOf(argv[1]!, STRING, c.now);
  if (v === undefined) return c.reply.bulk('');
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const range = rangeOf(stringLength(v), start, end);
  if (range === null) c.reply.bulk('');
  else if (v instanceof MutableString) c.reply.bulkBuffer(v.buf.subarray(range[0], range[1]));
  else c.reply.bulk(stringOf(v).slice(range[0], range[1]));
}

/* INCR key */
function incrCommand(c: Client, argv: string[]): void {
  incrDecrGeneric(c, argv[1]!, 1);
}

/* DECR key */
function decrCommand(c: Client, argv: string[]): void {
  incrDecrGeneric(c, argv[1]!, -1);
}

/* INCRBY key increment */
function incrbyCommand(c: Client, argv: string[]): void {
  const incr = parseInt64(argv[2]!);
  if (incr === null) return c.reply.error(Err.NOT_INTEGER);
  incrDecrGeneric(c, argv[1]!, incr);
}

/* DECRBY key decrement */
function decrbyCommand(c: Client, argv: string[]): void {
  const decr = parseInt64(argv[2]!);
  if (decr === null) return c.reply.error(Err.NOT_INTEGER);
  if (decr === INT64_MIN) return c.reply.error(Err.DECREMENT_OVERFLOW);
  incrDecrGeneric(c, argv[1]!, negateInt64(decr)!);
}

/**
 * Adds `incr` to the integer at `key` (0 when missing), keeping its TTL, and replies the sum;
 * a value that is not an int64 or a sum outside int64 is an error and changes nothing.
 */
function incrDecrGeneric(c: Client, key: string, incr: Int64): void {
  const v = c.db.lookupWrite(key, c.now);
  let current: Int64 = 0;
  if (typeof v === 'number' || typeof v === 'bigint') current = v;
  else if (v !== undefined) {
    if (!isString(v)) return c.reply.error(Err.WRONGTYPE);
    const parsed = parseInt64(stringOf(v));
    if (parsed === null) return c.reply.error(Err.NOT_INTEGER);
    current = parsed;
  }
  const sum = addInt64(current, incr);
  if (sum === null) return c.reply.error(Err.OVERFLOW);
  if (v === undefined) c.db.set(key, sum);
  // a value typed Int (KV.SETT) stays Int; any other tag becomes Bytes (engine/value-type.ts)
  else c.db.replace(key, v, sum, VT_KEEP_INT);
  c.notify('$', 'incrby', key);
  c.reply.int(sum);
}

const LD_ZERO = parseLongDouble('0')!;

/* INCRBYFLOAT key increment */
function incrbyfloatCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.lookupWrite(key, c.now);
  let current: LongDouble | null = LD_ZERO;
  if (v !== undefined) {
    if (!isString(v)) return c.reply.error(Err.WRONGTYPE);
    current = parseLongDouble(stringOf(v));
  }
  const incr = parseLongDouble(argv[2]!);
  if (current === null || incr === null) return c.reply.error(Err.NOT_FLOAT);
  const sum = addLongDouble(current, incr);
  if (sum === null || sum.inf) return c.reply.error(Err.NAN_OR_INF);
  const s = formatLongDouble(sum);
  // stored as a plain string: Redis keeps the text (embstr/raw), never the int encoding
  c.db.set(key, s, true);
  c.notify('$', 'incrbyfloat', key);
  // replaying the addition could round differently elsewhere: propagate the result
  c.rewrite('SET', key, s, 'KEEPTTL');
  c.reply.bulk(s);
}

/**
 * SET's key for COMMAND GETKEYSANDFLAGS (Redis's setGetKeys): read and written when a GET
 * option is there (as a C string: `GET\0…` counts), else only overwritten.
 */
function setGetKeys(argv: readonly string[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.length >= 3 && a.slice(0, 3).toLowerCase() === 'get' && (a.length === 3 || a[3] === '\0')) return [{ pos: 1, flags: ['RW', 'access', 'update'] }];
  }
  return [{ pos: 1, flags: ['OW', 'update'] }];
}

export const stringCommands: CommandRow[] = [
  { name: 'get', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@string', handler: getCommand, rangeHandler: getRange },
  { name: 'set', arity: -3, flags: 'write denyoom', keys: [1, 1, 1], categories: '@string', handler: setCommand, rangeHandler: setRange, getKeys: setGetKeys, constantTime: true },
  { name: 'setnx', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: setnxCommand },
  { name: 'setex', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@string', handler: setexCommand, constantTime: true },
  { name: 'psetex', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@string', handler: psetexCommand, constantTime: true },
  { name: 'getset', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: getsetCommand },
  { name: 'getdel', arity: 2, flags: 'write fast', keys: [1, 1, 1], categories: '@string', handler: getdelCommand },
  { name: 'getex', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: '@string', handler: getexCommand },
  { name: 'mget', arity: -2, flags: 'readonly fast', keys: [1, -1, 1], categories: '@string', handler: mgetCommand, rangeHandler: mgetRange },
  { name: 'mset', arity: -3, flags: 'write denyoom', keys: [1, -1, 2], categories: '@string', handler: msetCommand },
  { name: 'msetnx', arity: -3, flags: 'write denyoom', keys: [1, -1, 2], categories: '@string', handler: msetnxCommand },
  { name: 'append', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: appendCommand },
  { name: 'strlen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@string', handler: strlenCommand },
  { name: 'getrange', arity: 4, flags: 'readonly', keys: [1, 1, 1], categories: '@string', handler: getrangeCommand },
  { name: 'substr', arity: 4, flags: 'readonly', keys: [1, 1, 1], categories: '@string', handler: getrangeCommand },
  { name: 'setrange', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@string', handler: setrangeCommand },
  { name: 'incr', arity: 2, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: incrCommand, rangeHandler: incrRange },
  { name: 'decr', arity: 2, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: decrCommand, rangeHandler: decrRange },
  { name: 'incrby', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: incrbyCommand },
  { name: 'decrby', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: decrbyCommand },
  { name: 'incrbyfloat', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: incrbyfloatCommand },
];
