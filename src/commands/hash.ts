/*
 * Hash commands, after Redis's t_hash.c.
 */
import { parseCollectionScanOptions, scanCollection } from '../engine/collection-scan.js';
import { HASH, HashValue, type HashLimits } from '../engine/hash-value.js';
import { addInt64, parseInt64 } from '../engine/int64.js';
import { WRONGTYPE, type WrongType } from '../engine/keyspace.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../engine/long-double.js';
import { randomBelow, uniquePositions } from '../engine/random-pick.js';
import { parseCursor } from '../engine/scan.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';

/** A hash being written: the value (possibly new, not yet stored) and its size before. */
interface HashWrite {
  hash: HashValue;
  created: boolean;
  before: number;
}

/**
 * The hash at `key` for writing (Redis's hashTypeLookupWriteOrCreate): the existing one, or a
 * new empty one that `storeWrite` adds to the keyspace; WRONGTYPE when the key holds another type.
 */
function lookupWriteOrCreate(c: Client, key: string): HashWrite | WrongType {
  const found = c.db.writeOf(key, HASH, c.now);
  if (found === WRONGTYPE) return WRONGTYPE;
  if (found === undefined) return { hash: new HashValue(), created: true, before: 0 };
  return { hash: found, created: false, before: found.bytes };
}

/** Stores a new hash, or reports the in-place edit of an existing one (the write path). */
function storeWrite(c: Client, key: string, w: HashWrite): void {
  if (w.created) c.db.set(key, w.hash);
  else c.db.changed(key, w.hash.bytes - w.before);
}

/** hash-max-listpack-entries and -value (the config's cached limits). */
function limits(c: Client): HashLimits {
  return c.server.config.limits;
}

/* HSET key field value [field value ...] */
function hsetCommand(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, false);
}

/* HMSET key field value [field value ...] */
function hmsetCommand(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, true);
}

/** HSET (replies the number of new fields) and HMSET (replies OK). */
function hsetGeneric(c: Client, argv: string[], ok: boolean): void {
  if (argv.length % 2 === 1) return c.reply.error(Err.WRONG_ARITY(ok ? 'hmset' : 'hset'));
  const key = argv[1]!;
  const w = lookupWriteOrCreate(c, key);
  if (w === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const h = w.hash;
  const max = limits(c);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) if (h.set(argv[i]!, argv[i + 1]!, max)) created++;
  storeWrite(c, key, w);
  c.notify('h', 'hset', key);
  if (ok) c.reply.ok();
  else c.reply.int(created);
}

/* HSETNX key field value */
function hsetnxCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const w = lookupWriteOrCreate(c, key);
  if (w === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const h = w.hash;
  if (h.has(argv[2]!)) return c.reply.int(0);
  h.set(argv[2]!, argv[3]!, limits(c));
  storeWrite(c, key, w);
  c.notify('h', 'hset', key);
  c.reply.int(1);
}

/* HGET key field */
function hgetCommand(c: Client, argv: string[]): void {
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const v = h === undefined ? undefined : h.get(argv[2]!);
  if (v === undefined) c.reply.nil();
  else c.reply.bulk(v);
}

/* HMGET key field [field ...] */
function hmgetCommand(c: Client, argv: string[]): void {
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const v = h === undefined ? undefined : h.get(argv[i]!);
    if (v === undefined) c.reply.nil();
    else c.reply.bulk(v);
  }
}

/* HDEL key field [field ...] */
function hdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const h = c.db.writeOf(key, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (h === undefined) return c.reply.int(0);
  const before = h.bytes;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (!h.delete(argv[i]!)) continue;
    deleted++;
    if (h.length === 0) {
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    // the size change is reported first, so that the delete subtracts what was counted
    c.db.changed(key, h.bytes - before);
    if (removed) c.db.delete(key);
    c.notify('h', 'hdel', key);
    if (removed) c.notify('g', 'del', key);
  }
  c.reply.int(deleted);
}

/* HEXISTS key field */
function hexistsCommand(c: Client, argv: string[]): void {
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int(h !== undefined && h.has(argv[2]!) ? 1 : 0);
}

/* HLEN key */
function hlenCommand(c: Client, argv: string[]): void {
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int(h === undefined ? 0 : h.length);
}

/* HSTRLEN key field */
function hstrlenCommand(c: Client, argv: string[]): void {
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const v = h === undefined ? undefined : h.get(argv[2]!);
  c.reply.int(v === undefined ? 0 : v.length);
}

const FIELDS = 1;
const VALUES = 2;

/* HKEYS key */
function hkeysCommand(c: Client, argv: string[]): void {
  getallGeneric(c, argv[1]!, FIELDS);
}

/* HVALS key */
function hvalsCommand(c: Client, argv: string[]): void {
  getallGeneric(c, argv[1]!, VALUES);
}

/* HGETALL key */
function hgetallCommand(c: Client, argv: string[]): void {
  getallGeneric(c, argv[1]!, FIELDS | VALUES);
}

/** HKEYS, HVALS and HGETALL (a map when both fields and values are asked for). */
function getallGeneric(c: Client, key: string, what: number): void {
  const h = c.db.readOf(key, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const n = h === undefined ? 0 : h.length;
  if (what === (FIELDS | VALUES)) c.reply.map(n);
  else c.reply.array(n);
  if (n === 0) return;
  const view = h!.view();
  for (let i = 0; i < n; i++) {
    if (what & FIELDS) c.reply.bulk(view.fieldAt(i));
    if (what & VALUES) c.reply.bulk(view.valueAt(i));
  }
}

/* HINCRBY key field increment */
function hincrbyCommand(c: Client, argv: string[]): void {
  const incr = parseInt64(argv[3]!);
  if (incr === null) return c.reply.error(Err.NOT_INTEGER);
  const key = argv[1]!;
  const w = lookupWriteOrCreate(c, key);
  if (w === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const field = argv[2]!;
  const old = w.hash.get(field);
  let current: ReturnType<typeof parseInt64> = 0;
  if (old !== undefined) {
    current = parseInt64(old);
    if (current === null) return c.reply.error(Err.HASH_NOT_INTEGER);
  }
  const sum = addInt64(current, incr);
  if (sum === null) return c.reply.error(Err.OVERFLOW);
  w.hash.set(field, String(sum), limits(c));
  storeWrite(c, key, w);
  c.notify('h', 'hincrby', key);
  c.reply.int(sum);
}

/* HINCRBYFLOAT key field increment */
function hincrbyfloatCommand(c: Client, argv: string[]): void {
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) return c.reply.error(Err.NOT_FLOAT);
  if (incr.inf) return c.reply.error(Err.NAN_OR_INFINITY_VALUE);
  const key = argv[1]!;
  const w = lookupWriteOrCreate(c, key);
  if (w === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const field = argv[2]!;
  const old = w.hash.get(field);
  let current = parseLongDouble('0')!;
  if (old !== undefined) {
    const parsed = parseLongDouble(old);
    if (parsed === null) return c.reply.error(Err.HASH_NOT_FLOAT);
    current = parsed;
  }
  const sum = addLongDouble(current, incr);
  if (sum === null || sum.inf) return c.reply.error(Err.NAN_OR_INF);
  const s = formatLongDouble(sum);
  w.hash.set(field, s, limits(c));
  storeWrite(c, key, w);
  c.notify('h', 'hincrbyfloat', key);
  // replaying the addition could round differently elsewhere: propagate the result
  c.rewrite('HSET', key, field, s);
  c.reply.bulk(s);
}

/* HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) return c.reply.error(Err.INVALID_CURSOR);
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (h === undefined) return replyEmptyScan(c);
  const opts = parseCollectionScanOptions(argv, 3, SCAN_ERRORS);
  if (typeof opts === 'string') return c.reply.error(opts);
  const view = h.view();
  const positions: number[] = [];
  const coll = { size: view.length, compact: h.isListpack, keyAt: (i: number) => view.fieldAt(i) };
  const next = scanCollection(coll, cursor, opts, (i) => positions.push(i));
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(positions.length * 2);
  for (const i of positions) {
    c.reply.bulk(view.fieldAt(i));
    c.reply.bulk(view.valueAt(i));
  }
}

export const SCAN_ERRORS = { syntax: Err.SYNTAX, notInteger: Err.NOT_INTEGER };

/** The reply of a scan of a missing key: cursor 0, no elements. */
export function replyEmptyScan(c: Client): void {
  c.reply.array(2);
  c.reply.bulk('0');
  c.reply.array(0);
}

/* HRANDFIELD key [count [WITHVALUES]] */
function hrandfieldCommand(c: Client, argv: string[]): void {
  if (argv.length >= 3) return hrandfieldWithCount(c, argv);
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (h === undefined) return c.reply.nil();
  c.reply.bulk(h.view().fieldAt(randomBelow(h.length)));
}

/** Redis's count argument of SRANDMEMBER/HRANDFIELD: an integer within ±LONG_MAX. */
export function parseRandomCount(s: string): number | bigint | string {
  const n = parseInt64(s);
  if (n === null) return Err.NOT_INTEGER;
  if (n === -9223372036854775808n) return Err.LONG_RANGE;
  return n;
}

function hrandfieldWithCount(c: Client, argv: string[]): void {
  const parsed = parseRandomCount(argv[2]!);
  if (typeof parsed === 'string') return c.reply.error(parsed);
  const withValues = argv.length === 4 && argv[3]!.toLowerCase() === 'withvalues';
  if (argv.length > 4 || (argv.length === 4 && !withValues)) return c.reply.error(Err.SYNTAX);
  const half = 4611686018427387903n; // LONG_MAX / 2: the pairs of the reply must be countable
  if (withValues && (parsed > half || parsed < -half)) return c.reply.error(Err.OUT_OF_RANGE);
  const h = c.db.readOf(argv[1]!, HASH, c.now);
  if (h === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (h === undefined || parsed === 0) return c.reply.array(0);
  const size = h.length;
  let positions: number[];
  if (parsed < 0) {
    // with repetitions: each pick independent
    const count = Number(-parsed);
    positions = new Array<number>(count);
    for (let i = 0; i < count; i++) positions[i] = randomBelow(size);
  } else if (parsed >= size) {
    positions = Array.from({ length: size }, (_, i) => i);
  } else {
    positions = uniquePositions(size, Number(parsed));
    // a listpack samples in its own order (Redis's lpRandomPairsUnique)
    if (h.isListpack) positions.sort((a, b) => a - b);
  }
  const view = h.view();
  if (withValues) {
    c.reply.pairs(positions.length);
    for (const i of positions) {
      c.reply.pair();
      c.reply.bulk(view.fieldAt(i));
      c.reply.bulk(view.valueAt(i));
    }
  } else {
    c.reply.array(positions.length);
    for (const i of positions) c.reply.bulk(view.fieldAt(i));
  }
}

export const hashCommands: CommandRow[] = [
  { name: 'hset', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@hash', handler: hsetCommand },
  { name: 'hsetnx', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@hash', handler: hsetnxCommand },
  { name: 'hget', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@hash', handler: hgetCommand },
  { name: 'hmset', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@hash', handler: hmsetCommand },
  { name: 'hmget', arity: -3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@hash', handler: hmgetCommand },
  { name: 'hdel', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@hash', handler: hdelCommand },
  { name: 'hexists', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@hash', handler: hexistsCommand },
  { name: 'hlen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@hash', handler: hlenCommand },
  { name: 'hkeys', arity: 2, flags: 'readonly', keys: [1, 1, 1], categories: '@hash', handler: hkeysCommand },
  { name: 'hvals', arity: 2, flags: 'readonly', keys: [1, 1, 1], categories: '@hash', handler: hvalsCommand },
  { name: 'hgetall', arity: 2, flags: 'readonly', keys: [1, 1, 1], categories: '@hash', handler: hgetallCommand },
  { name: 'hincrby', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@hash', handler: hincrbyCommand },
  { name: 'hincrbyfloat', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@hash', handler: hincrbyfloatCommand },
  { name: 'hstrlen', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@hash', handler: hstrlenCommand },
  { name: 'hscan', arity: -3, flags: 'readonly', keys: [1, 1, 1], categories: '@hash', handler: hscanCommand },
  { name: 'hrandfield', arity: -2, flags: 'readonly', keys: [1, 1, 1], categories: '@hash', handler: hrandfieldCommand },
];
