/*
 * DEBUG: the subcommands clients' and Redis's own test suites use — OBJECT, DIGEST,
 * DIGEST-VALUE, POPULATE, PROTOCOL, RELOAD, SLEEP, SET-ACTIVE-EXPIRE, LISTPACK, QUICKLIST,
 * ERROR, LOG, LEAK, CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD, SET-SKIP-CHECKSUM-VALIDATION,
 * PAUSE-CRON — with Redis 7.0's replies. The ones that crash or inspect C structures (SEGFAULT,
 * PANIC, OOM, ASSERT, SDSLEN, HTSTATS, STRUCTSIZE, MALLCTL …) are not offered.
 */
import { Err } from '../resp/errors.js';
import { RespWriter } from '../resp/writer.js';
import type { Client } from '../core/client.js';
import { encodingOf, isString } from '../engine/values.js';
import { ByteWriter } from '../engine/rdb/bytes.js';
import { quicklistNodes, writeValue } from '../engine/rdb/rdb-value.js';
import { encodeListpack } from '../engine/rdb/listpack.js';
import type { ListValue } from '../engine/list-value.js';
import { digestValue, hexOf, keyDigest, mixDatabase, xorDigest } from '../engine/dataset-digest.js';
import { parseInt64 } from '../engine/int64.js';
import { accessFieldOf, isSharedInteger } from './keys.js';
import { rdbLimits } from './dump.js';
import { reloadDataset, reloadFromAof } from './persistence.js';
import { recordsOf } from '../core/persistence.js';
import { replyHelp } from './admin.js';
import { parseMemory } from '../core/config.js';
import { hashKey, TTL_BIT } from '../engine/shard.js';
import type { CommandRow } from '../core/command-types.js';

/** Blocks the whole process for `ms`, as DEBUG SLEEP blocks Redis's event loop. */
function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A stable stand-in for the object's address (there is no pointer to show). */
function fakeAddress(db: number, key: string): string {
  let h = 0x811c9dc5 ^ db;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return '0x7f' + (h >>> 0).toString(16).padStart(8, '0') + '0';
}

/** What Redis's DEBUG OBJECT adds for a quicklist: its nodes as Redis 7.0 cuts them. */
function quicklistDetails(c: Client, list: ListValue): string {
  const fill = c.server.config.int('list-max-listpack-size');
  const nodes = quicklistNodes(list, fill);
  let bytes = 0;
  for (const node of nodes) bytes += encodeListpack(node).length;
  const avg = nodes.length === 0 ? 0 : list.length / nodes.length;
  const compressed = c.server.config.int('list-compress-depth') !== 0 ? 1 : 0;
  return ` ql_nodes:${nodes.length} ql_avg_node:${avg.toFixed(2)} ql_listpack_max:${fill} ql_compressed:${compressed} ql_uncompressed_size:${bytes}`;
}

/* DEBUG OBJECT key */
function debugObject(c: Client, key: string): void {
  // a read that leaves the access clock alone (Redis's DEBUG OBJECT finds the key without touching it)
  const v = c.db.lookupRead(key, c.now, false);
  if (v === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  const refcount = isSharedInteger(c, v) ? 2147483647 : 1;
  const field = accessFieldOf(c, key);
  // serializedlength: the value's RDB encoding without its type byte (Redis's rdbSavedObjectLen)
  const w = new ByteWriter();
  const encoding = encodingOf(v);
  const length = writeValue(w, v, rdbLimits(c)) ? w.result().length - 1 : 0;
  const extra = encoding === 'quicklist' ? quicklistDetails(c, v as ListValue) : '';
  c.reply.simple(
    `Value at:${fakeAddress(c.db.id, key)} refcount:${refcount} encoding:${encoding} serializedlength:${length}` +
      ` lru:${field} lru_seconds_idle:${c.server.keyspace.access.idleSeconds(field, c.now)}${extra}`,
  );
}

/* DEBUG DIGEST */
function debugDigest(c: Client): void {
  const total = new Uint8Array(20);
  for (const db of c.server.keyspace.dbs) {
    if (db.size === 0) continue;
    mixDatabase(total, db.id);
    // every stored key, logically expired ones too (as Redis's walk of its dict)
    for (const r of recordsOf(db)) xorDigest(total, keyDigest(r.key, r.value, r.expireAt !== -1));
  }
  c.reply.simple(hexOf(total));
}

/* DEBUG DIGEST-VALUE [key ...] */
function debugDigestValue(c: Client, keys: string[]): void {
  c.reply.array(keys.length);
  for (const key of keys) {
    // Redis finds the key without expiring it: a logically expired key still has its value here
    const digest = new Uint8Array(20);
    const shard = c.db.shardOf(key);
    const a = shard.find(key, hashKey(key));
    if (a !== 0) digestValue(digest, c.db.valueIn(shard, a, key), (shard.meta(a) & TTL_BIT) !== 0);
    c.reply.simple(hexOf(digest));
  }
}

/* DEBUG POPULATE count [prefix] [size] */
function debugPopulate(c: Client, argv: string[]): void {
  const count = parseInt64(argv[2]!);
  if (count === null || count < 0) return c.reply.error(Err.MUST_BE_POSITIVE);
  let size = 0;
  if (argv.length === 5) {
    const n = parseInt64(argv[4]!);
    if (n === null || n < 0) return c.reply.error(Err.MUST_BE_POSITIVE);
    size = Number(n);
  }
  const prefix = argv.length >= 4 ? argv[3]! : 'key';
  const db = c.db;
  // Redis adds the keys without counting them as changes (dbAdd): no save point, no propagation
  const stats = c.server.keyspace.stats;
  const dirty = stats.dirty;
  for (let j = 0; j < count; j++) {
    const key = `${prefix}:${j}`;
    if (db.lookupWrite(key, c.now) !== undefined) continue;
    const text = `value:${j}`;
    // with a size, the value is that long: the text cut or padded with zero bytes
    db.set(key, size === 0 ? text : text.length >= size ? text.slice(0, size) : text + '\0'.repeat(size - text.length));
  }
  stats.dirty = dirty;
  c.reply.ok();
}

const ATTRIBUTE = Buffer.from('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n');

/* DEBUG PROTOCOL type */
function debugProtocol(c: Client, type: string): void {
  const r = c.reply;
  switch (type.toLowerCase()) {
    case 'string':
      return r.bulk('Hello World');
    case 'integer':
      return r.int(12345);
    case 'double':
      return r.double(3.141);
    case 'bignum':
      return r.bigNumber('1234567999999999999999999999999999999');
    case 'null':
      return r.nil();
    case 'array':
    case 'set':
      if (type.toLowerCase() === 'set') r.set(3);
      else r.array(3);
      for (let j = 0; j < 3; j++) r.int(j);
      return;
    case 'map':
      r.map(3);
      for (let j = 0; j < 3; j++) {
        r.int(j);
        r.bool(j === 1);
      }
      return;
    case 'attrib':
      // an attribute is not a reply: RESP2 gets only the reply that follows it
      if (c.proto === 3 && r instanceof RespWriter) r.preencoded(ATTRIBUTE);
      return r.bulk('Some real reply following the attribute');
    case 'push':
      if (c.proto !== 3) return r.error(Err.DEBUG_PUSH_RESP2);
      r.push(2);
      r.bulk('server-cpu-usage');
      r.int(42);
      return r.bulk('Some real reply following the push reply');
    case 'true':
      return r.bool(true);
    case 'false':
      return r.bool(false);
    case 'verbatim':
      return r.verbatim('This is a verbatim\nstring');
    default:
      return r.error(Err.DEBUG_PROTOCOL_TYPE);
  }
}

/* DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE] */
function debugReload(c: Client, options: string[]): void {
  let merge = false;
  let flush = true;
  let save = true;
  for (const opt of options) {
    const o = opt.toLowerCase();
    if (o === 'merge') merge = true;
    else if (o === 'noflush') flush = false;
    else if (o === 'nosave') save = false;
    else return c.reply.error(Err.DEBUG_RELOAD_OPTIONS);
  }
  const err = reloadDataset(c, save, flush, merge);
  if (err !== null) return c.reply.error(err);
  c.reply.ok();
}

/* DEBUG LISTPACK key | DEBUG QUICKLIST key [0|1] */
function debugEncodingDump(c: Client, key: string, wanted: 'listpack' | 'quicklist'): void {
  const v = c.db.lookupRead(key, c.now);
  if (v === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  if (isString(v) || encodingOf(v) !== wanted) return c.reply.error(wanted === 'listpack' ? Err.DEBUG_NOT_LISTPACK : Err.DEBUG_NOT_QUICKLIST);
  // Redis prints the structure on its stdout; there is no C structure to print here
  c.reply.simple(wanted === 'listpack' ? 'Listpack structure printed on stdout' : 'Quicklist structure printed on stdout');
}

const HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  "    Create <count> string keys named key:<num>. If <prefix> is specified then",
  "    it is used instead of the 'key' prefix. These are not propagated to",
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
];

/** atoi: a leading integer, 0 for anything else */
const atoi = (s: string): number => Number.parseInt(s, 10) || 0;

/* DEBUG subcommand [arg ...] */
function debugCommand(c: Client, argv: string[]): void {
  const sub = argv[1]!.toLowerCase();
  const n = argv.length;
  if (sub === 'help' && n === 2) return replyHelp(c, 'DEBUG', HELP);
  if (sub === 'sleep' && n === 3) {
    // like Redis's strtod: a leading number is read, anything else counts as 0
    const seconds = Number.parseFloat(argv[2]!);
    blockFor(Number.isFinite(seconds) ? seconds * 1000 : 0);
    return c.reply.ok();
  }
  if (sub === 'object' && n === 3) return debugObject(c, argv[2]!);
  if (sub === 'set-active-expire' && n === 3) {
    c.server.activeExpire = atoi(argv[2]!) !== 0;
    return c.reply.ok();
  }
  if (sub === 'set-skip-checksum-validation' && n === 3) {
    c.server.skipChecksum = atoi(argv[2]!) !== 0;
    return c.reply.ok();
  }
  if (sub === 'pause-cron' && n === 3) {
    c.server.cronPaused = atoi(argv[2]!) !== 0;
    return c.reply.ok();
  }
  // there is no replication: nothing to change
  if (sub === 'change-repl-id' && n === 2) return c.reply.ok();
  if (sub === 'digest' && n === 2) return debugDigest(c);
  if (sub === 'digest-value') return debugDigestValue(c, argv.slice(2));
  if (sub === 'populate' && n >= 3 && n <= 5) return debugPopulate(c, argv);
  if (sub === 'protocol' && n === 3) return debugProtocol(c, argv[2]!);
  if (sub === 'reload') return debugReload(c, argv.slice(2));
  if (sub === 'loadaof' && n === 2) {
    const err = reloadFromAof(c);
    return err === null ? c.reply.ok() : c.reply.error(err);
  }
  if (sub === 'listpack' && n === 3) return debugEncodingDump(c, argv[2]!, 'listpack');
  if (sub === 'quicklist' && (n === 3 || n === 4)) return debugEncodingDump(c, argv[2]!, 'quicklist');
  if (sub === 'error' && n === 3) return c.reply.error(argv[2]!);
  if (sub === 'log' && n === 3) {
    c.server.log.warning(`DEBUG LOG: ${argv[2]}`);
    return c.reply.ok();
  }
  // nothing leaks in a garbage-collected heap: the string is simply dropped
  if (sub === 'leak' && n === 3) return c.reply.ok();
  if (sub === 'quicklist-packed-threshold' && n === 3) {
    // accepted and checked as Redis checks it; lists here have no plain nodes to cut at it
    const size = parseMemory(argv[2]!);
    if (size === null || size > 4n * 1024n * 1024n * 1024n) return c.reply.error(Err.DEBUG_PACKED_THRESHOLD);
    return c.reply.ok();
  }
  c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'DEBUG'));
}

export const debugCommands: CommandRow[] = [
  { name: 'debug', arity: -2, flags: 'admin noscript loading stale', categories: '', handler: debugCommand },
];
