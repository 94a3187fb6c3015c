/*
 * Stream commands, after Redis's t_stream.c: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XREAD
 * (and its blocking form) and XSETID. The consumer-group commands are in stream-groups.ts and
 * XINFO in stream-info.ts; the value itself in engine/stream-value.ts.
 *
 * Propagation: XADD with a generated id (`*`, `ms-*`) propagates with the id it made, and an
 * approximate trim (`~`, LIMIT) propagates as the exact trim it amounted to (`=` with the length
 * or the first id left), as Redis rewrites them, so a replay is exact.
 */
import { parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import {
  decrId, formatId, incrId, INVALID_ENTRIES_READ, makeId, MAX_ID, STREAM, StreamValue, U64_MAX,
  type NodeLimits, type StreamEntry, type StreamId, type TrimSpec,
} from '../engine/stream-value.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow, KeyRef } from '../core/command-types.js';
import { streamReadGroupGeneric } from './stream-groups.js';

/* ---- parsing ---- */

/** C's isspace */
const SPACE = /^[ \t\n\v\f\r]*/;
const SEQ_MASK = (1n << 64n) - 1n;

/** Redis's string2ull: an unsigned 64-bit integer (strtoull's leniency past int64), or null. */
export function parseU64(s: string): bigint | null {
  const v = parseInt64(s);
  if (v !== null) return BigInt(v) < 0n ? null : BigInt(v);
  const m = /^([+-]?)(\d+)$/.exec(s.slice(SPACE.exec(s)![0].length));
  if (m === null) return null;
  const n = BigInt(m[2]!);
  if (n > U64_MAX) return null;
  return m[1] === '-' ? (U64_MAX + 1n - n) & U64_MAX : n;
}

/** An int64 argument as a number (saturated past ±2^53, which no count reaches), or null. */
export function parseLongLong(s: string): number | null {
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

/** A parsed id: the id and whether its sequence was given (false for `ms-*`). */
interface ParsedId {
  id: StreamId;
  seqGiven: boolean;
}

/**
 * Parses a stream id as Redis's streamGenericParseIDOrReply: `ms-seq`, `ms` (sequence
 * `missingSeq`), `-` and `+` unless `strict`, `ms-*` when `allowAutoSeq`. Null when invalid.
 */
export function parseIdGeneric(s: string, missingSeq: bigint, strict: boolean, allowAutoSeq = false): ParsedId | null {
  if (s.length > 127) return null;
  if (s === '-') return strict ? null : { id: 0n, seqGiven: true };
  if (s === '+') return strict ? null : { id: MAX_ID, seqGiven: true };
  const dash = s.indexOf('-');
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  const rest = s.slice(dash + 1);
  if (allowAutoSeq && rest === '*') return { id: makeId(ms, 0n), seqGiven: false };
  const seq = parseU64(rest);
  if (seq === null) return null;
  return { id: makeId(ms, seq), seqGiven: true };
}

/** A strict id (no `-`/`+`), or null. */
export function parseStrictId(s: string, missingSeq = 0n): StreamId | null {
  const p = parseIdGeneric(s, missingSeq, true);
  return p === null ? null : p.id;
}

/** A range bound: `-`, `+`, an id, or `(id` (exclusive); null when invalid. */
function parseIntervalId(s: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } | null {
  if (s.length > 1 && s[0] === '(') {
    const id = parseStrictId(s.slice(1), missingSeq);
    return id === null ? null : { id, exclusive: true };
  }
  const p = parseIdGeneric(s, missingSeq, false);
  return p === null ? null : { id: p.id, exclusive: false };
}

/** XADD's and XTRIM's options, parsed. */
export interface AddTrimArgs {
  trim: TrimSpec | null;
  /** argv index of the trim threshold (for the rewrite), and of the `~`/`=` before it (-1: none) */
  thresholdPos: number;
  operatorPos: number;
  /** argv index of LIMIT (-1: none) */
  limitPos: number;
  noMkstream: boolean;
  /** XADD: the id given (null: `*`), its position */
  id: StreamId | null;
  seqGiven: boolean;
  idPos: number;
}

/**
 * Parses XADD's options (xadd) or XTRIM's, from argv[2], as Redis's
 * streamParseAddOrTrimArgsOrReply: the parsed arguments, or an error text.
 */
function parseAddTrimArgs(c: Client, argv: string[], xadd: boolean): AddTrimArgs | string {
  const a: AddTrimArgs = { trim: null, thresholdPos: -1, operatorPos: -1, limitPos: -1, noMkstream: false, id: null, seqGiven: true, idPos: -1 };
  let limit = 0;
  let limitGiven = false;
  let approx = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const opt = argv[i]!;
    const lower = opt.toLowerCase();
    if (xadd && opt === '*') {
      a.idPos = i;
      break;
    } else if ((lower === 'maxlen' || lower === 'minid') && more > 0) {
      if (a.trim !== null) return Err.STREAM_MAXLEN_AND_MINID;
      approx = false;
      const next = argv[i + 1]!;
      a.operatorPos = -1;
      if (more >= 2 && (next === '~' || next === '=')) {
        approx = next === '~';
        a.operatorPos = i + 1;
        i++;
      }
      const arg = argv[i + 1]!;
      if (lower === 'maxlen') {
        const n = parseLongLong(arg);
        if (n === null) return Err.NOT_INTEGER;
        if (n < 0) return Err.STREAM_MAXLEN_NEGATIVE;
        a.trim = { strategy: 'maxlen', maxlen: n, minid: 0n, approx, limit: 0 };
      } else {
        const id = parseStrictId(arg);
        if (id === null) return Err.STREAM_INVALID_ID;
        a.trim = { strategy: 'minid', maxlen: 0, minid: id, approx, limit: 0 };
      }
      i++;
      a.thresholdPos = i;
    } else if (lower === 'limit' && more > 0) {
      const n = parseLongLong(argv[i + 1]!);
      if (n === null) return Err.NOT_INTEGER;
      if (n < 0) return Err.STREAM_LIMIT_NEGATIVE;
      limit = n;
      limitGiven = true;
      a.limitPos = i;
      i++;
    } else if (xadd && lower === 'nomkstream') {
      a.noMkstream = true;
    } else if (xadd) {
      const p = parseIdGeneric(opt, 0n, true, true);
      if (p === null) return Err.STREAM_INVALID_ID;
      a.id = p.id;
      a.seqGiven = p.seqGiven;
      a.idPos = i;
      break;
    } else {
      return Err.SYNTAX;
    }
  }
  if (xadd && a.idPos < 0) a.idPos = i;
  if (limit !== 0 && a.trim === null) return Err.STREAM_LIMIT_NO_STRATEGY;
  if (!xadd && a.trim === null) return Err.STREAM_XTRIM_NO_STRATEGY;
  if (limitGiven && (a.trim === null || !a.trim.approx)) return Err.STREAM_LIMIT_NO_APPROX;
  if (a.trim !== null) {
    if (limitGiven) {
      a.trim.limit = limit;
    } else if (a.trim.approx) {
      let l = 100 * c.server.config.int('stream-node-max-entries');
      if (l <= 0 || l > 1000000) l = 10000;
      a.trim.limit = l;
    }
  }
  return a;
}

/** The node limits from the config. */
export function nodeLimits(c: Client): NodeLimits {
  return { bytes: c.server.config.int('stream-node-max-bytes'), entries: c.server.config.int('stream-node-max-entries') };
}

/**
 * Accounts a change Redis makes without signalling the key — to a stream's groups, or XSETID:
 * it counts as a change (dirty: it propagates, it is unsaved) and in the memory accounting, but
 * WATCH and client-side caching are not told, nor blocked clients (as Redis).
 */
export function streamMetaChanged(c: Client, key: string, s: StreamValue): void {
  c.db.reencoded(key, s.resized());
  c.server.keyspace.datasetChanged();
}

/* ---- replies ---- */

/** Replies one entry: [id, [field, value, ...]] (a deleted one as [id, nil]). */
export function replyEntry(c: Client, id: StreamId, fields: string[] | undefined): void {
  c.reply.array(2);
  c.reply.bulk(formatId(id));
  if (fields === undefined) c.reply.nilArray();
  else c.reply.bulks(fields);
}

export function replyEntries(c: Client, entries: readonly StreamEntry[]): void {
  c.reply.array(entries.length);
  for (const [id, fields] of entries) replyEntry(c, id, fields);
}

/* ---- commands ---- */

/*
 * XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value
 *      [field value ...]
 */
function xaddCommand(c: Client, argv: string[]): void {
  const a = parseAddTrimArgs(c, argv, true);
  if (typeof a === 'string') return c.reply.error(a);
  const fieldPos = a.idPos + 1;
  const nFields = argv.length - fieldPos;
  if (nFields < 2 || nFields % 2 === 1) return c.reply.error(Err.WRONG_ARITY('xadd'));
  if (a.id === 0n && a.seqGiven) return c.reply.error(Err.STREAM_ID_ZERO);
  const key = argv[1]!;
  let s = c.db.writeOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  let created = false;
  if (s === undefined) {
    if (a.noMkstream) return c.reply.nil();
    s = new StreamValue();
    created = true;
  }
  const store = () => {
    if (created) {
      c.db.set(key, s!);
      s!.resized();
    } else c.db.changed(key, s!.resized());
  };
  if (s.lastId === MAX_ID) {
    if (created) store();
    return c.reply.error(Err.STREAM_EXHAUSTED);
  }
  let id: StreamId | null;
  if (a.id === null) id = s.nextAutoId(c.now);
  else if (a.seqGiven) id = a.id;
  else if (a.id >> 64n === s.lastId >> 64n) {
    // `ms-*` on the top item's millisecond: its sequence + 1, which must not wrap to the next ms
    if ((s.lastId & SEQ_MASK) === SEQ_MASK) return c.reply.error(Err.STREAM_ELEMENTS_TOO_LARGE);
    id = incrId(s.lastId);
  } else id = a.id;
  if (id === null || id <= s.lastId) {
    // Redis has created the (empty) stream by then
    if (created) store();
    return c.reply.error(Err.STREAM_ID_TOO_SMALL);
  }
  s.append(id, argv.slice(fieldPos), nodeLimits(c));
  c.reply.bulk(formatId(id));
  c.notify('t', 'xadd', key);
  let trimmed = 0;
  if (a.trim !== null) trimmed = s.trim(a.trim);
  store();
  if (trimmed > 0) c.notify('t', 'xtrim', key);
  const approx = a.trim !== null && a.trim.approx;
  if (approx || a.id === null || !a.seqGiven) c.rewrite(...propagatedAddTrim(argv, a, s, id));
}

/**
 * What XADD/XTRIM propagate: the generated id in place of `*`/`ms-*`, and an approximate trim as
 * the exact one it amounted to (`=` and the length left, or the first id left), without LIMIT.
 */
function propagatedAddTrim(argv: string[], a: AddTrimArgs, s: StreamValue, id: StreamId | null): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (a.trim !== null && a.trim.approx) {
      if (i === a.operatorPos) {
        out.push('=');
        continue;
      }
      if (i === a.thresholdPos) {
        // an emptied stream: every id up to the last (Redis propagates its first id, 0-0, then)
        const minid = s.length === 0 ? incrId(s.lastId) ?? MAX_ID : s.firstId;
        out.push(a.trim.strategy === 'maxlen' ? String(s.length) : formatId(minid));
        continue;
      }
      if (a.limitPos >= 0 && (i === a.limitPos || i === a.limitPos + 1)) continue;
    }
    if (id !== null && i === a.idPos) out.push(formatId(id));
    else out.push(argv[i]!);
  }
  return out;
}

/* XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
function xtrimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const s0 = c.db.writeOf(key, STREAM, c.now);
  if (s0 === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const a = parseAddTrimArgs(c, argv, false);
  if (typeof a === 'string') return c.reply.error(a);
  if (s0 === undefined) return c.reply.int(0);
  const s = s0;
  const trimmed = s.trim(a.trim!);
  if (trimmed > 0) {
    c.db.changed(key, s.resized());
    c.notify('t', 'xtrim', key);
    if (a.trim!.approx) c.rewrite(...propagatedAddTrim(argv, a, s, null));
  }
  c.reply.int(trimmed);
}

/* XRANGE key start end [COUNT count] */
function xrangeCommand(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

/* XREVRANGE key end start [COUNT count] */
function xrevrangeCommand(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const startArg = rev ? argv[3]! : argv[2]!;
  const endArg = rev ? argv[2]! : argv[3]!;
  const start = parseIntervalId(startArg, 0n);
  if (start === null) return c.reply.error(Err.STREAM_INVALID_ID);
  let startId: StreamId | null = start.id;
  if (start.exclusive && (startId = incrId(startId)) === null) return c.reply.error(Err.STREAM_INVALID_START);
  const end = parseIntervalId(endArg, U64_MAX);
  if (end === null) return c.reply.error(Err.STREAM_INVALID_ID);
  let endId: StreamId | null = end.id;
  if (end.exclusive && (endId = decrId(endId)) === null) return c.reply.error(Err.STREAM_INVALID_END);
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === 'count' && j + 1 < argv.length) {
      const n = parseLongLong(argv[j + 1]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      count = n < 0 ? 0 : n;
      j++;
    } else {
      return c.reply.error(Err.SYNTAX);
    }
  }
  const s = c.db.readOf(argv[1]!, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.array(0);
  if (count === 0) return c.reply.nilArray();
  replyEntries(c, rev ? s.range(startId, endId, true, count < 0 ? 0 : count) : s.range(startId, endId, false, count < 0 ? 0 : count));
}

/* XLEN key */
function xlenCommand(c: Client, argv: string[]): void {
  const s = c.db.readOf(argv[1]!, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int(s === undefined ? 0 : s.length);
}

/* XDEL key id [id ...] */
function xdelCommand(c: Client, argv: string[]): void {
  const ids: StreamId[] = [];
  for (let i = 2; i < argv.length; i++) {
    const id = parseStrictId(argv[i]!);
    if (id === null) return c.reply.error(Err.STREAM_INVALID_ID);
    ids.push(id);
  }
  const key = argv[1]!;
  const s = c.db.writeOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.int(0);
  let deleted = 0;
  for (const id of ids) if (s.delete(id)) deleted++;
  if (deleted > 0) {
    c.db.changed(key, s.resized());
    c.notify('t', 'xdel', key);
  }
  c.reply.int(deleted);
}

/* XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
function xsetidCommand(c: Client, argv: string[]): void {
  const id = parseStrictId(argv[2]!);
  if (id === null) return c.reply.error(Err.STREAM_INVALID_ID);
  let entriesAdded = -1;
  let maxDeleted: StreamId | null = null;
  for (let i = 3; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const opt = argv[i]!.toLowerCase();
    if (opt === 'entriesadded' && more > 0) {
      const n = parseLongLong(argv[i + 1]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (n < 0) return c.reply.error(Err.XSETID_ENTRIES_ADDED_NEGATIVE);
      entriesAdded = n;
      i++;
    } else if (opt === 'maxdeletedid' && more > 0) {
      maxDeleted = parseStrictId(argv[i + 1]!);
      if (maxDeleted === null) return c.reply.error(Err.STREAM_INVALID_ID);
      if (id < maxDeleted) return c.reply.error(Err.XSETID_BELOW_MAX_DELETED);
      i++;
    } else {
      return c.reply.error(Err.SYNTAX);
    }
  }
  const key = argv[1]!;
  const s = c.db.writeOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  // only a stream with entries is checked: its last entry's id, the given entries-added
  if (s.length > 0) {
    if (id < s.edgeId(true)!) return c.reply.error(Err.XSETID_SMALLER);
    if (entriesAdded !== -1 && s.length > entriesAdded) return c.reply.error(Err.XSETID_ENTRIES_ADDED_SMALL);
  }
  s.lastId = id;
  if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
  if (maxDeleted !== null) s.maxDeletedId = maxDeleted;
  streamMetaChanged(c, key, s);
  c.notify('t', 'xsetid', key);
  c.reply.ok();
}

/* ---- XREAD ---- */

/** XREAD's and XREADGROUP's arguments. */
export interface ReadArgs {
  /** absolute deadline (0: forever), or -1 without BLOCK */
  block: number;
  count: number;
  keys: string[];
  /** the id arguments, as given */
  idArgs: string[];
  group: string | null;
  consumer: string | null;
  noack: boolean;
}

/** Parses XREAD/XREADGROUP's options (not the ids): the arguments or an error text. */
export function parseReadArgs(c: Client, argv: string[], group: boolean): ReadArgs | string {
  const a: ReadArgs = { block: -1, count: 0, keys: [], idArgs: [], group: null, consumer: null, noack: false };
  let streamsAt = 0;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - i - 1;
    const o = argv[i]!.toLowerCase();
    if (o === 'block' && more > 0) {
      if (c.script) return Err.STREAM_BLOCK_SCRIPT(argv[0]!);
      i++;
      const n = parseLongLong(argv[i]!);
      if (n === null) return Err.TIMEOUT_NOT_INTEGER;
      if (n < 0) return Err.TIMEOUT_NEGATIVE;
      a.block = n === 0 ? 0 : c.now + n;
    } else if (o === 'count' && more > 0) {
      i++;
      const n = parseLongLong(argv[i]!);
      if (n === null) return Err.NOT_INTEGER;
      a.count = n < 0 ? 0 : n;
    } else if (o === 'streams' && more > 0) {
      streamsAt = i + 1;
      const n = argv.length - streamsAt;
      if (n % 2 !== 0) return Err.STREAM_UNBALANCED; // XREADGROUP's too, in Redis 7.0
      a.keys = argv.slice(streamsAt, streamsAt + n / 2);
      a.idArgs = argv.slice(streamsAt + n / 2);
      break;
    } else if (o === 'group' && more >= 2) {
      if (!group) return Err.STREAM_GROUP_XREAD;
      a.group = argv[i + 1]!;
      a.consumer = argv[i + 2]!;
      i += 2;
    } else if (o === 'noack') {
      if (!group) return Err.STREAM_NOACK_XREAD;
      a.noack = true;
    } else {
      return Err.SYNTAX;
    }
  }
  if (streamsAt === 0) return Err.SYNTAX;
  if (group && a.group === null) return Err.STREAM_MISSING_GROUP;
  return a;
}

/** XREAD: the ids after which to read, per key (`$`: the stream's last id), or an error text. */
function resolveReadIds(c: Client, a: ReadArgs): StreamId[] | string {
  const ids: StreamId[] = [];
  for (let i = 0; i < a.keys.length; i++) {
    const s = c.db.lookupRead(a.keys[i]!, c.now);
    if (s !== undefined && !(s instanceof StreamValue)) return Err.WRONGTYPE;
    const arg = a.idArgs[i]!;
    if (arg === '$') {
      ids.push(s === undefined ? 0n : s.lastId);
      continue;
    }
    if (arg === '>') return Err.STREAM_GT_XREAD;
    const id = parseStrictId(arg);
    if (id === null) return Err.STREAM_INVALID_ID;
    ids.push(id);
  }
  return ids;
}

/** XREAD's default COUNT once blocked (XREAD_BLOCK_DEFAULT_COUNT) */
export const BLOCK_DEFAULT_COUNT = 1000;

/** Replies XREAD's result: per stream key, its entries (RESP3: a map). */
export function replyKeyed(c: Client, results: Array<[string, () => void]>): void {
  c.reply.keyedMap(results.length);
  for (const [key, body] of results) {
    c.reply.keyedEntry();
    c.reply.bulk(key);
    body();
  }
}

/* XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
function xreadCommand(c: Client, argv: string[]): void {
  const a = parseReadArgs(c, argv, false);
  if (typeof a === 'string') return c.reply.error(a);
  const ids = resolveReadIds(c, a);
  if (typeof ids === 'string') return c.reply.error(ids);
  const results: Array<[string, StreamEntry[]]> = [];
  for (let i = 0; i < a.keys.length; i++) {
    const s = c.db.lookupRead(a.keys[i]!, c.now) as StreamValue | undefined;
    if (s === undefined || s.length === 0) continue;
    const after = incrId(ids[i]!);
    if (after === null) continue;
    const entries = s.range(after, MAX_ID, false, a.count);
    if (entries.length !== 0) results.push([a.keys[i]!, entries]);
  }
  if (results.length !== 0) return replyKeyed(c, results.map(([k, e]) => [k, () => replyEntries(c, e)]));
  if (a.block < 0 || c.denyBlocking) return c.reply.nilArray();
  const count = a.count === 0 ? BLOCK_DEFAULT_COUNT : a.count;
  const keys = a.keys;
  c.server.blocking.block(c, {
    keys,
    deadline: a.block,
    serve(c, key) {
      const s = c.db.lookupRead(key, c.now, false);
      if (!(s instanceof StreamValue)) return false;
      const i = keys.indexOf(key);
      const after = incrId(ids[i]!);
      if (after === null || s.lastId < after) return false;
      const entries = s.range(after, MAX_ID, false, count);
      if (entries.length === 0) return false;
      replyKeyed(c, [[key, () => replyEntries(c, entries)]]);
      return true;
    },
  });
}

/* XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
function xreadgroupCommand(c: Client, argv: string[]): void {
  streamReadGroupGeneric(c, argv);
}

/** The keys of XREAD/XREADGROUP: half the arguments after STREAMS (Redis's xreadGetKeys). */
function xreadKeys(argv: readonly string[]): KeyRef[] {
  let streamsPos = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'block' || a === 'count') i++;
    else if (a === 'group') i += 2;
    else if (a === 'noack') continue;
    else if (a === 'streams') {
      streamsPos = i;
      break;
    } else break;
  }
  const keys: KeyRef[] = [];
  if (streamsPos < 0) return keys;
  const n = argv.length - streamsPos - 1;
  if (n === 0 || n % 2 !== 0) return keys;
  for (let i = streamsPos + 1; i < streamsPos + 1 + n / 2; i++) keys.push({ pos: i, flags: [] });
  return keys;
}

export { INVALID_ENTRIES_READ };

export const streamCommands: CommandRow[] = [
  { name: 'xadd', arity: -5, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@stream', handler: xaddCommand },
  { name: 'xrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: '@stream', handler: xrangeCommand },
  { name: 'xrevrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: '@stream', handler: xrevrangeCommand },
  { name: 'xlen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@stream', handler: xlenCommand },
  { name: 'xdel', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@stream', handler: xdelCommand },
  { name: 'xtrim', arity: -4, flags: 'write', keys: [1, 1, 1], categories: '@stream', handler: xtrimCommand },
  { name: 'xsetid', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@stream', handler: xsetidCommand },
  { name: 'xread', arity: -4, flags: 'readonly blocking movablekeys', categories: '@stream', handler: xreadCommand, getKeys: xreadKeys },
  { name: 'xreadgroup', arity: -7, flags: 'write blocking movablekeys', categories: '@stream', handler: xreadgroupCommand, getKeys: xreadKeys },
];
