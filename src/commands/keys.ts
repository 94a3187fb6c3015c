/*
 * Keyspace commands, after Redis's db.c, expire.c and object.c: commands that work on keys
 * whatever their type (DEL, EXISTS, TYPE, RENAME, MOVE, COPY…), on TTLs (EXPIRE, TTL, PERSIST…),
 * on whole databases (KEYS, SCAN, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, RANDOMKEY) and OBJECT.
 */
import type { Database } from '../engine/keyspace.js';
import { globMatch } from '../engine/glob.js';
import { INT64_MAX, INT64_MIN, parseInt64, int64Text } from '../engine/int64.js';
import { collectKeys, parseCursor } from '../engine/scan.js';
import { copyValue, encodingOf, typeName, type Value } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { saveAll } from './persistence.js';

/* DEL key [key ...] and UNLINK key [key ...] (memory is freed the same way for both) */
function delCommand(c: Client, argv: string[]): void {
  const db = c.db;
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    if (db.lookupWrite(argv[i]!, c.now) !== undefined && db.delete(argv[i]!)) {
      c.notify('g', 'del', argv[i]!);
      deleted++;
    }
  }
  c.reply.int(deleted);
}

/* EXISTS key [key ...] and TOUCH key [key ...]: a key named twice counts twice */
function existsGeneric(c: Client, argv: string[], touch: boolean): void {
  const db = c.db;
  let found = 0;
  for (let i = 1; i < argv.length; i++) if (db.lookupRead(argv[i]!, c.now, touch) !== undefined) found++;
  c.reply.int(found);
}

/* EXISTS key [key ...]: does not change the keys' access time */
const existsCommand = (c: Client, argv: string[]): void => existsGeneric(c, argv, false);
/* TOUCH key [key ...]: updates it (even under CLIENT NO-TOUCH) */
const touchCommand = (c: Client, argv: string[]): void => existsGeneric(c, argv, true);

/* TYPE key */
function typeCommand(c: Client, argv: string[]): void {
  const v = c.db.lookupRead(argv[1]!, c.now, false);
  c.reply.simple(v === undefined ? 'none' : typeName(v));
}

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;

/** Parses EXPIRE's flags from argv[3…]; returns them or an error text as Redis words it. */
export function parseExpireFlags(argv: string[]): number | string {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (opt === 'nx') flags |= EXPIRE_NX;
    else if (opt === 'xx') flags |= EXPIRE_XX;
    else if (opt === 'gt') flags |= EXPIRE_GT;
    else if (opt === 'lt') flags |= EXPIRE_LT;
    else return Err.EXPIRE_UNSUPPORTED_OPTION(argv[i]!);
  }
  if ((flags & EXPIRE_NX) && (flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) return Err.EXPIRE_NX_AND_OTHERS;
  if ((flags & EXPIRE_GT) && (flags & EXPIRE_LT)) return Err.EXPIRE_GT_AND_LT;
  return flags;
}

/** Small enough that seconds → ms plus any clock stays exact in a double. */
const FAST_EXPIRE_LIMIT = 1e12;

/**
 * The absolute time in ms for an EXPIRE-family argument: `arg` in seconds or ms (`inSeconds`),
 * added to `base` (now, or 0 for the *AT variants). Negative results are allowed (they delete the
 * key); int64 overflow is Redis's "invalid expire time" error. Returns the time or an error text.
 */
export function expireArgument(arg: string, inSeconds: boolean, base: number, cmd: string): number | string {
  const v = parseInt64(arg);
  if (v === null) return Err.NOT_INTEGER;
  if (typeof v === 'number' && Math.abs(v) < FAST_EXPIRE_LIMIT) return (inSeconds ? v * 1000 : v) + base;
  let when = BigInt(v);
  if (inSeconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return Err.INVALID_EXPIRE(cmd);
    when *= 1000n;
  }
  if (when > INT64_MAX - BigInt(base)) return Err.INVALID_EXPIRE(cmd);
  return Number(when + BigInt(base));
}

/**
 * The shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT. Sets the key's expiry time unless
 * the NX/XX/GT/LT condition fails; a time already past deletes the key (and still replies 1).
 */
function expireGeneric(c: Client, argv: string[], inSeconds: boolean, base: number): void {
  const flags = parseExpireFlags(argv);
  if (typeof flags === 'string') return c.reply.error(flags);
  const when = expireArgument(argv[2]!, inSeconds, base, argv[0]!.toLowerCase());
  if (typeof when === 'string') return c.reply.error(when);
  const db = c.db;
  const key = argv[1]!;
  if (db.lookupWrite(key, c.now) === undefined) return c.reply.int(0);
  if (flags !== 0) {
    const current = db.expireAt(key);
    if ((flags & EXPIRE_NX) && current !== undefined) return c.reply.int(0);
    if ((flags & EXPIRE_XX) && current === undefined) return c.reply.int(0);
    // no TTL counts as an infinite one
    if ((flags & EXPIRE_GT) && (current === undefined || when <= current)) return c.reply.int(0);
    if ((flags & EXPIRE_LT) && current !== undefined && when >= current) return c.reply.int(0);
  }
  // propagated as an absolute time, or as the deletion it caused
  if (when <= c.now) {
    db.delete(key);
    c.notify('g', 'del', key);
    c.rewrite('DEL', key);
  } else {
    db.setExpire(key, when);
    c.notify('g', 'expire', key);
    c.rewrite('PEXPIREAT', key, int64Text(when));
  }
  c.reply.int(1);
}

/* EXPIRE key seconds [NX|XX|GT|LT] */
const expireCommand = (c: Client, argv: string[]): void => expireGeneric(c, argv, true, c.now);
/* PEXPIRE key milliseconds [NX|XX|GT|LT] */
const pexpireCommand = (c: Client, argv: string[]): void => expireGeneric(c, argv, false, c.now);
/* EXPIREAT key unix-time-seconds [NX|XX|GT|LT] */
const expireatCommand = (c: Client, argv: string[]): void => expireGeneric(c, argv, true, 0);
/* PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] */
const pexpireatCommand = (c: Client, argv: string[]): void => expireGeneric(c, argv, false, 0);

/**
 * The shared body of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key, -1 for a key
 * without TTL, else the remaining (or absolute) time, in seconds rounded as Redis rounds.
 */
function ttlGeneric(c: Client, key: string, inMs: boolean, absolute: boolean): void {
  const db = c.db;
  if (db.lookupRead(key, c.now, false) === undefined) return c.reply.int(-2);
  const at = db.expireAt(key);
  if (at === undefined) return c.reply.int(-1);
  const t = Math.max(absolute ? at : at - c.now, 0);
  c.reply.int(inMs ? t : Math.floor((t + 500) / 1000));
}

/* TTL key */
const ttlCommand = (c: Client, argv: string[]): void => ttlGeneric(c, argv[1]!, false, false);
/* PTTL key */
const pttlCommand = (c: Client, argv: string[]): void => ttlGeneric(c, argv[1]!, true, false);
/* EXPIRETIME key */
const expiretimeCommand = (c: Client, argv: string[]): void => ttlGeneric(c, argv[1]!, false, true);
/* PEXPIRETIME key */
const pexpiretimeCommand = (c: Client, argv: string[]): void => ttlGeneric(c, argv[1]!, true, true);

/* PERSIST key */
function persistCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (c.db.lookupWrite(key, c.now) === undefined) return c.reply.int(0);
  const removed = c.db.persist(key);
  if (removed) c.notify('g', 'persist', key);
  c.reply.int(removed ? 1 : 0);
}

/** The matcher for a KEYS / SCAN MATCH pattern; null matches everything (`*`, even the empty key). */
function patternMatcher(pattern: string): ((key: string) => boolean) | null {
  return pattern === '*' ? null : (key) => globMatch(pattern, key);
}

/* KEYS pattern */
function keysCommand(c: Client, argv: string[]): void {
  c.reply.bulks(collectKeys(c.db, c.now, patternMatcher(argv[1]!)));
}

export interface ScanOptions {
  count: number;
  match: ((key: string) => boolean) | null;
  /** lowercase type name, or null for any */
  type: string | null;
}

/** Parses SCAN's options from argv[2…] (`COUNT n`, `MATCH pattern`, `TYPE name`), or an error text. */
export function parseScanOptions(argv: string[]): ScanOptions | string {
  const opts: ScanOptions = { count: 10, match: null, type: null };
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    if (i + 1 >= argv.length) return Err.SYNTAX;
    const arg = argv[i + 1]!;
    if (opt === 'count') {
      const n = parseInt64(arg);
      if (n === null) return Err.NOT_INTEGER;
      if (n < 1) return Err.SYNTAX;
      opts.count = Number(n);
    } else if (opt === 'match') {
      opts.match = patternMatcher(arg);
    } else if (opt === 'type') {
      opts.type = arg.toLowerCase();
    } else return Err.SYNTAX;
  }
  return opts;
}

/* SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[1]!);
  if (cursor === null) return c.reply.error(Err.INVALID_CURSOR);
  const opts = parseScanOptions(argv);
  if (typeof opts === 'string') return c.reply.error(opts);
  const { match, type } = opts;
  const keys: string[] = [];
  const next = c.server.keyspace.scans.scan(c.db, cursor, opts.count, c.now, (key: string, value: Value) => {
    if (type === null || typeName(value) === type) keys.push(key);
  }, match);
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulks(keys);
}

/**
 * The shared body of RENAME and RENAMENX: moves the value and TTL of `from` to `to`, replacing
 * `to` unless `nx` (then replies 0 when `to` exists).
 */
function renameGeneric(c: Client, from: string, to: string, nx: boolean): void {
  const db = c.db;
  if (db.lookupWrite(from, c.now) === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  if (from === to) return nx ? c.reply.int(0) : c.reply.ok();
  if (nx && db.lookupWrite(to, c.now) !== undefined) return c.reply.int(0);
  db.moveTo(from, db, to);
  c.notify('g', 'rename_from', from);
  c.notify('g', 'rename_to', to);
  if (nx) c.reply.int(1);
  else c.reply.ok();
}

/* RENAME key newkey */
const renameCommand = (c: Client, argv: string[]): void => renameGeneric(c, argv[1]!, argv[2]!, false);
/* RENAMENX key newkey */
const renamenxCommand = (c: Client, argv: string[]): void => renameGeneric(c, argv[1]!, argv[2]!, true);

/**
 * The database numbered `arg` (parsed as Redis's getIntFromObject then selectDb), or undefined
 * after replying the error: `badIndex` for a non-integer (Redis's own texts when omitted).
 */
function databaseArgument(c: Client, arg: string, badIndex?: string): Database | undefined {
  const n = parseInt64(arg);
  if (n === null) return void c.reply.error(badIndex ?? Err.NOT_INTEGER);
  if (n < -2147483648 || n > 2147483647) return void c.reply.error(badIndex ?? Err.INT_RANGE);
  const db = c.server.keyspace.dbs[Number(n)];
  if (n < 0 || db === undefined) return void c.reply.error(Err.DB_INDEX_RANGE);
  return db;
}

/* MOVE key db */
function moveCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (c.boundNamespace !== null) return c.reply.error(Err.NS_BOUND(c.boundNamespace));
  const dst = databaseArgument(c, argv[2]!);
  if (dst === undefined) return;
  const src = c.db;
  if (src === dst) return c.reply.error(Err.SOURCE_DEST_SAME);
  if (src.lookupWrite(key, c.now) === undefined) return c.reply.int(0);
  if (dst.lookupWrite(key, c.now) !== undefined) return c.reply.int(0);
  src.moveTo(key, dst, key);
  c.notify('g', 'move_from', key);
  c.notify('g', 'move_to', key, dst.label);
  c.reply.int(1);
}

/* COPY source destination [DB destination-db] [REPLACE] */
function copyCommand(c: Client, argv: string[]): void {
  const src = c.db;
  let dst = src;
  let replace = false;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    if (opt === 'replace') replace = true;
    else if (opt === 'db' && i + 1 < argv.length) {
      if (c.boundNamespace !== null) return c.reply.error(Err.NS_BOUND(c.boundNamespace));
      const db = databaseArgument(c, argv[++i]!);
      if (db === undefined) return;
      dst = db;
    } else return c.reply.error(Err.SYNTAX);
  }
  const from = argv[1]!;
  const to = argv[2]!;
  if (src === dst && from === to) return c.reply.error(Err.SOURCE_DEST_SAME);
  const value = src.lookupRead(from, c.now);
  if (value === undefined) return c.reply.int(0);
  const at = src.expireAt(from);
  if (dst.lookupWrite(to, c.now) !== undefined) {
    if (!replace) return c.reply.int(0);
    dst.delete(to, false);
  }
  dst.set(to, copyValue(value), false, src.valueTypeOf(from), at);
  c.notify('g', 'copy_to', to, dst.label);
  c.reply.int(1);
}

/* RANDOMKEY */
function randomkeyCommand(c: Client): void {
  const key = c.db.randomKey(c.now);
  if (key === undefined) c.reply.nil();
  else c.reply.bulk(key);
}

/* DBSIZE */
function dbsizeCommand(c: Client): void {
  c.reply.int(c.db.size);
}

/** Whether FLUSHDB/FLUSHALL's optional argument is valid (SYNC or ASYNC); replies the error if not. */
function flushOptionOk(c: Client, argv: string[]): boolean {
  if (argv.length === 1) return true;
  const opt = argv[1]!.toLowerCase();
  if (argv.length === 2 && (opt === 'sync' || opt === 'async')) return true;
  c.reply.error(Err.SYNTAX);
  return false;
}

/* FLUSHDB [ASYNC|SYNC] (both free memory synchronously) */
function flushdbCommand(c: Client, argv: string[]): void {
  if (!flushOptionOk(c, argv)) return;
  c.db.clear();
  // propagated even when the database was empty (Redis's forceCommandPropagation)
  c.rewrite(...argv);
  c.reply.ok();
}

/* FLUSHALL [ASYNC|SYNC] */
function flushallCommand(c: Client, argv: string[]): void {
  if (!flushOptionOk(c, argv)) return;
  if (c.boundNamespace !== null) return c.reply.error(Err.NS_BOUND(c.boundNamespace));
  c.server.keyspace.flushAll();
  c.rewrite(...argv);
  // with save points, Redis saves the emptied dataset at once (flushAllDataAndResetRDB)
  if (c.server.config.get('save') !== '') saveAll(c.server, { counted: false });
  c.reply.ok();
}

/* SWAPDB index1 index2 */
function swapdbCommand(c: Client, argv: string[]): void {
  if (c.boundNamespace !== null) return c.reply.error(Err.NS_BOUND(c.boundNamespace));
  const a = databaseArgument(c, argv[1]!, Err.INVALID_FIRST_DB_INDEX);
  if (a === undefined) return;
  const b = databaseArgument(c, argv[2]!, Err.INVALID_SECOND_DB_INDEX);
  if (b === undefined) return;
  if (a !== b) a.swapWith(b);
  // a database swapped with itself changes nothing, but counts (and propagates) as in Redis
  else c.server.keyspace.datasetChanged();
  c.reply.ok();
}

/** The value at argv[2] for OBJECT subcommands, or undefined after replying null (missing key). */
function objectLookup(c: Client, argv: string[]): Value | undefined {
  const v = c.db.lookupRead(argv[2]!, c.now, false);
  if (v === undefined) c.reply.nil();
  return v;
}

function lfuPolicy(c: Client): boolean {
  return c.server.config.get('maxmemory-policy').endsWith('-lfu');
}

/** Redis shares the integers 0…9999 (refcount INT_MAX) unless an LRU/LFU policy needs per-key data. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;

/* OBJECT ENCODING key */
function objectEncodingCommand(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv);
  if (v !== undefined) c.reply.bulk(encodingOf(v));
}

/** Whether Redis would store `v` as one of its shared integers (created at start, never touched). */
export function isSharedInteger(c: Client, v: Value): boolean {
  const policy = c.server.config.get('maxmemory-policy');
  const sharing = c.server.config.get('maxmemory') === '0' || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
  return sharing && typeof v === 'number' && v >= 0 && v < SHARED_INTEGERS;
}

/* OBJECT REFCOUNT key */
function objectRefcountCommand(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv);
  if (v === undefined) return;
  c.reply.int(isSharedInteger(c, v) ? SHARED_REFCOUNT : 1);
}

/**
 * The access clock field OBJECT and DEBUG OBJECT report for `key` (present: looked up first),
 * from its record's header or, for a shared integer, that integer's clock (engine/access-clock.ts).
 */
export function accessFieldOf(c: Client, key: string): number {
  return c.db.accessOf(key)!;
}

/* OBJECT FREQ key: the key's LFU counter, decayed to now (engine/access-clock.ts) */
function objectFreqCommand(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv);
  if (v === undefined) return;
  if (!lfuPolicy(c)) return c.reply.error(Err.LFU_NOT_SELECTED);
  c.reply.int(c.server.keyspace.access.decayed(c.db.accessOf(argv[2]!)!, c.now));
}

/* OBJECT IDLETIME key: seconds since the key was last accessed (engine/access-clock.ts) */
function objectIdletimeCommand(c: Client, argv: string[]): void {
  const v = objectLookup(c, argv);
  if (v === undefined) return;
  if (lfuPolicy(c)) return c.reply.error(Err.LFU_SELECTED);
  c.reply.int(c.server.keyspace.access.idleSeconds(c.db.accessOf(argv[2]!)!, c.now));
}

const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

/* OBJECT HELP */
function objectHelpCommand(c: Client): void {
  c.reply.array(OBJECT_HELP.length);
  for (const line of OBJECT_HELP) c.reply.simple(line);
}

const OBJECT_KEY_ROW = { arity: 3, flags: 'readonly', keys: [2, 2, 1] as const, categories: '@keyspace' };

export const keyspaceCommands: CommandRow[] = [
  { name: 'del', arity: -2, flags: 'write', keys: [1, -1, 1], categories: '@keyspace', handler: delCommand },
  { name: 'unlink', arity: -2, flags: 'write fast', keys: [1, -1, 1], categories: '@keyspace', handler: delCommand },
  { name: 'exists', arity: -2, flags: 'readonly fast', keys: [1, -1, 1], categories: '@keyspace', handler: existsCommand },
  { name: 'touch', arity: -2, flags: 'readonly fast', keys: [1, -1, 1], categories: '@keyspace', handler: touchCommand },
  { name: 'type', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: typeCommand },
  { name: 'expire', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@keyspace', handler: expireCommand },
  { name: 'pexpire', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@keyspace', handler: pexpireCommand },
  { name: 'expireat', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@keyspace', handler: expireatCommand },
  { name: 'pexpireat', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@keyspace', handler: pexpireatCommand },
  { name: 'ttl', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: ttlCommand },
  { name: 'pttl', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: pttlCommand },
  { name: 'expiretime', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: expiretimeCommand },
  { name: 'pexpiretime', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: pexpiretimeCommand },
  { name: 'persist', arity: 2, flags: 'write fast', keys: [1, 1, 1], categories: '@keyspace', handler: persistCommand },
  { name: 'keys', arity: 2, flags: 'readonly', categories: '@keyspace @dangerous', handler: keysCommand },
  { name: 'scan', arity: -2, flags: 'readonly', categories: '@keyspace', handler: scanCommand },
  { name: 'rename', arity: 3, flags: 'write', keys: [1, 2, 1], categories: '@keyspace', handler: renameCommand },
  { name: 'renamenx', arity: 3, flags: 'write fast', keys: [1, 2, 1], categories: '@keyspace', handler: renamenxCommand },
  { name: 'move', arity: 3, flags: 'write fast', keys: [1, 1, 1], categories: '@keyspace', handler: moveCommand },
  { name: 'copy', arity: -3, flags: 'write denyoom', keys: [1, 2, 1], categories: '@keyspace', handler: copyCommand },
  { name: 'randomkey', arity: 1, flags: 'readonly', categories: '@keyspace', handler: randomkeyCommand },
  { name: 'dbsize', arity: 1, flags: 'readonly fast', categories: '@keyspace', handler: dbsizeCommand },
  { name: 'flushdb', arity: -1, flags: 'write', categories: '@keyspace @dangerous', handler: flushdbCommand },
  { name: 'flushall', arity: -1, flags: 'write', categories: '@keyspace @dangerous', handler: flushallCommand },
  { name: 'swapdb', arity: 3, flags: 'write fast', categories: '@keyspace @dangerous', handler: swapdbCommand },
  {
    name: 'object',
    arity: -2,
    flags: '',
    categories: '',
    subcommands: [
      { name: 'encoding', ...OBJECT_KEY_ROW, handler: objectEncodingCommand },
      { name: 'freq', ...OBJECT_KEY_ROW, handler: objectFreqCommand },
      { name: 'idletime', ...OBJECT_KEY_ROW, handler: objectIdletimeCommand },
      { name: 'refcount', ...OBJECT_KEY_ROW, handler: objectRefcountCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@keyspace', handler: objectHelpCommand },
    ],
  },
];
