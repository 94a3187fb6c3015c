/*
 * Typed values (our extension): KV.SETT / KV.GETT / KV.TYPEOF and exact decimal increments
 * (KV.INCRBYDEC). The type tag lives in the record (engine/value-type.ts); over RESP every typed
 * value reads as its canonical string, so GET, INCR, APPEND… work on it as on any string (and any
 * write other than the INCR family, which keeps an Int, makes it Bytes again).
 */
import { isUtf8 } from 'node:buffer';
import { addDecimal, formatDecimal, parseDecimal } from '../engine/decimal.js';
import { int64Text, parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { parseStrictDouble } from '../engine/strtod.js';
import { VALUE_TYPE_NAMES, valueTypeNamed, VT_BYTES, VT_DECIMAL, VT_FLOAT, VT_INT, VT_STRING } from '../engine/value-type.js';
import { encodeString, isString, STRING, stringOf, typeName } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import { expireTime } from './string.js';
import type { Client } from '../core/client.js';
import type { CommandRow, RequestRanges } from '../core/command-types.js';
import type { Reply } from '../resp/writer.js';

/** The canonical text of a finite double: the shortest text that reads back as it (`-0` kept). */
export function canonicalFloat(d: number): string {
  return Object.is(d, -0) ? '-0' : String(d);
}

/**
 * The canonical text of `value` as a value of type `vtype`, or the error text when it is not
 * one: int a Redis integer (int64, no leading zeros or `+`), float a finite double, decimal
 * engine/decimal.ts's form, string valid UTF-8, bytes anything.
 */
export function canonicalTyped(vtype: number, value: string): { text: string } | { error: string } {
  switch (vtype) {
    case VT_INT:
      return parseInt64(value) === null ? { error: Err.NOT_INTEGER } : { text: value };
    case VT_FLOAT: {
      const d = parseStrictDouble(value);
      return d === null || !Number.isFinite(d) ? { error: Err.NOT_FLOAT } : { text: canonicalFloat(d) };
    }
    case VT_DECIMAL: {
      const d = parseDecimal(value);
      return d === null ? { error: Err.NOT_DECIMAL } : { text: formatDecimal(d) };
    }
    case VT_STRING:
      return isUtf8(Buffer.from(value, 'latin1')) ? { text: value } : { error: Err.NOT_UTF8 };
    default:
      return { text: value };
  }
}

/** KV.SETT's options: an absolute expiry, KEEPTTL, or neither. */
interface SettOptions {
  expireAt: number | undefined;
  keepTtl: boolean;
}

/**
 * Parses KV.SETT's options from argv[4]: `EX s|PX ms|EXAT s|PXAT ms` (repeating the same one is
 * fine: the last wins, as SET) or `KEEPTTL`; anything else, or two of them, is a syntax error.
 */
function parseSettOptions(argv: string[], now: number): SettOptions | string {
  let unit = '';
  let arg = '';
  let keepTtl = false;
  for (let i = 4; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (opt === 'keepttl' && unit === '') keepTtl = true;
    else if ((opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') && (unit === '' || unit === opt) && !keepTtl && i + 1 < argv.length) {
      unit = opt;
      arg = argv[++i]!;
    } else return Err.SYNTAX;
  }
  if (unit === '') return { expireAt: undefined, keepTtl };
  const at = expireTime(arg, unit, now, 'kv.sett');
  return typeof at === 'string' ? at : { expireAt: at, keepTtl: false };
}

/* KV.SETT key type value [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL] */
function settCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const vtype = valueTypeNamed(argv[2]!);
  if (vtype < 0) return c.reply.error(Err.VALUE_TYPE_UNKNOWN);
  const opts = parseSettOptions(argv, c.now);
  if (typeof opts === 'string') return c.reply.error(opts);
  const canonical = canonicalTyped(vtype, argv[3]!);
  if ('error' in canonical) return c.reply.error(canonical.error);
  const db = c.db;
  db.set(key, encodeString(canonical.text), opts.keepTtl, vtype, opts.expireAt);
  c.notify('$', 'set', key);
  if (opts.expireAt !== undefined) {
    c.notify('g', 'expire', key);
    // a relative expiry propagates as an absolute one, as SET's
    c.rewrite('KV.SETT', key, VALUE_TYPE_NAMES[vtype]!, canonical.text, 'PXAT', int64Text(opts.expireAt));
  }
  c.reply.ok();
}

/**
 * KV.SETT key string|bytes value (no options) with key and value as bytes of the read buffer (the
 * binary protocol's SET of a String or Bytes value, which names the type as `r.valueType`).
 * Declines (false, nothing done) for every other type (their canonical text is computed from the
 * value), while keyspace notifications are on (the `set` event names the key), for a String that
 * is not valid UTF-8 (the error is the ordinary path's), and for what setBytes declines.
 */
function settRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  const vtype = r.valueType;
  if ((vtype !== VT_STRING && vtype !== VT_BYTES) || c.server.notifier !== null) return false;
  if (vtype === VT_STRING && !isUtf8Range(buf, r.valueStart, r.valueEnd)) return false;
  if (!c.db.setBytes(buf, r.keyStart, r.keyEnd, r.valueStart, r.valueEnd, vtype)) return false;
  out.ok();
  return true;
}

/** Whether bytes [start, end) of `buf` are valid UTF-8: ASCII is checked here, without a view. */
function isUtf8Range(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i]! > 0x7f) return isUtf8(buf.subarray(start, end));
  return true;
}

/* KV.GETT key */
function gettCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.readOf(key, STRING, c.now);
  if (v === undefined) return c.reply.nil();
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.array(2);
  c.reply.bulk(VALUE_TYPE_NAMES[c.db.valueTypeOf(key)]!);
  c.reply.bulk(stringOf(v));
}

/**
 * KV.GETT key with the key as bytes of the read buffer (the binary protocol's GET): a string held
 * as bytes goes from its record straight into the reply. Declines whatever gettCommand would do
 * differently from "found a string held as bytes / found nothing", as GET's range form.
 */
function gettRange(c: Client, out: Reply, buf: Buffer, r: RequestRanges): boolean {
  const db = c.db;
  const found = db.lookupBytesRead(buf, r.keyStart, r.keyEnd, c.now);
  if (found < 0) return false;
  if (found === 0) {
    out.nil();
  } else {
    out.array(2);
    out.bulk(VALUE_TYPE_NAMES[db.rangeType]!);
    out.bulkBytes(db.rangeBytes, db.rangeStart, db.rangeEnd);
  }
  return true;
}

/* KV.TYPEOF key (a string's type tag; other kinds answer their TYPE: list, hash…) */
function typeofCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.lookupRead(key, c.now, false);
  if (v === undefined) return c.reply.nil();
  c.reply.bulk(isString(v) ? VALUE_TYPE_NAMES[c.db.valueTypeOf(key)]! : typeName(v));
}

/* KV.INCRBYDEC key increment */
function incrbydecCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const db = c.db;
  const v = db.lookupWrite(key, c.now);
  let current = parseDecimal('0');
  if (v !== undefined) {
    if (!isString(v)) return c.reply.error(Err.WRONGTYPE);
    current = parseDecimal(stringOf(v));
  }
  const incr = parseDecimal(argv[2]!);
  if (current === null || incr === null) return c.reply.error(Err.NOT_DECIMAL);
  const sum = addDecimal(current, incr);
  if (sum === null) return c.reply.error(Err.DECIMAL_OVERFLOW);
  const text = formatDecimal(sum);
  if (v === undefined) db.set(key, encodeString(text), false, VT_DECIMAL);
  else db.replace(key, v, encodeString(text), VT_DECIMAL);
  c.notify('$', 'incrbydec', key);
  // the result, not the addition, is what replays (as INCRBYFLOAT propagates SET … KEEPTTL)
  c.rewrite('KV.SETT', key, 'decimal', text, 'KEEPTTL');
  c.reply.bulk(text);
}

export const typedCommands: CommandRow[] = [
  { name: 'kv.sett', arity: -4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@string', handler: settCommand, rangeHandler: settRange, constantTime: true },
  { name: 'kv.gett', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@string', handler: gettCommand, rangeHandler: gettRange },
  { name: 'kv.typeof', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: typeofCommand },
  { name: 'kv.incrbydec', arity: 3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@string', handler: incrbydecCommand },
];
