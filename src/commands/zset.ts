/*
 * Sorted set commands, after Redis 7.0's t_zset.c. The structure is engine/zset-value.ts; scores
 * parse as Redis parses them (engine/strtod.ts) and reply through `c.reply.double` (printf
 * "%.17g", as Redis 7.0). Blocking pops are not here: `popFromKey` and `replyPopped` are what
 * BZPOPMIN/BZPOPMAX/BZMPOP need (see their comments).
 */
import { parseCollectionScanOptions, scanCollection } from '../engine/collection-scan.js';
import { parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { parseCursor } from '../engine/scan.js';
import { parseLooseDouble, parseStrictDouble } from '../engine/strtod.js';
import { kindOf, type Value } from '../engine/values.js';
import { ZSET, ZSetValue, type LexBound, type ScoreBound } from '../engine/zset-value.js';
import { Err } from '../resp/errors.js';
import { formatDouble } from '../resp/writer.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { countedKeys } from '../core/movable-keys.js';
import { replyEmptyScan, SCAN_ERRORS } from './hash.js';

/** zset-max-listpack-entries and zset-max-listpack-value. */
export function zsetLimits(c: Client): [number, number] {
  const limits = c.server.config.limits;
  return [limits.zsetEntries, limits.zsetValue];
}

/**
 * A new sorted set for a key about to get its first member (of `firstLength` bytes): compact
 * unless the limits already rule it out (Redis 7.0's ZADD checks only the first member).
 */
export function newZset(c: Client, firstLength: number): ZSetValue {
  const [entries, value] = zsetLimits(c);
  return new ZSetValue(entries !== 0 && firstLength <= value);
}

/** Adds `member` or changes its score (no options): returns whether the set changed. */
export function zsetSet(c: Client, z: ZSetValue, member: string, score: number): boolean {
  const cur = z.score(member);
  if (cur === undefined) {
    const [entries, value] = zsetLimits(c);
    z.insert(member, score, entries, value);
    return true;
  }
  if (cur === score) return false;
  z.setScore(member, score);
  return true;
}

/** Parses a long as getLongFromObject: a number (clamped into doubles) or null. */
function parseLong(s: string): number | null {
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

/** A score range end as zslParseRange reads it: `(` for exclusive, inf spelled as strtod does. */
function parseScoreBound(s: string): ScoreBound | null {
  const ex = s.charCodeAt(0) === 40; // '('
  const value = parseLooseDouble(ex ? s.slice(1) : s);
  return value === null ? null : { value, ex };
}

/** A lex range end as zslParseLexRangeItem reads it: `-`, `+`, `(member` or `[member`. */
function parseLexBound(s: string): LexBound | null {
  const c0 = s[0];
  if (c0 === '+' || c0 === '-') {
    if (s.length > 1 && s.charCodeAt(1) !== 0) return null;
    return { inf: c0 === '+' ? 1 : -1, value: '', ex: true };
  }
  if (c0 === '(' || c0 === '[') return { inf: 0, value: s.slice(1), ex: c0 === '(' };
  return null;
}

/** Empty rank range [lo, lo) when start > end after Redis's index sanitizing, else [lo, hi). */
function rankRange(start: number, end: number, size: number, rev: boolean): [number, number] {
  if (start < 0) start = size + start;
  if (end < 0) end = size + end;
  if (start < 0) start = 0;
  if (start > end || start >= size) return [0, 0];
  if (end >= size) end = size - 1;
  return rev ? [size - 1 - end, size - start] : [start, end + 1];
}

/** Writes [member, score] pairs: `withScores` as pairs of bulk and double, else bulks only. */
function replyElements(c: Client, items: ReadonlyArray<[string, number]>, withScores: boolean): void {
  const r = c.reply;
  if (withScores) {
    r.pairs(items.length);
    for (const [m, s] of items) {
      r.pair();
      r.bulk(m);
      r.double(s);
    }
  } else {
    r.array(items.length);
    for (const [m] of items) r.bulk(m);
  }
}

const ZADD_NX = 1;
const ZADD_XX = 2;
const ZADD_GT = 4;
const ZADD_LT = 8;
const ZADD_INCR = 16;
const ZADD_CH = 32;

/* ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] */
function zaddCommand(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, 0);
}

/* ZINCRBY key increment member */
function zincrbyCommand(c: Client, argv: string[]): void {
  zaddGeneric(c, argv, ZADD_INCR);
}

/** ASCII a-z or A-Z. */
function isLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

/** ZADD's parsed scores (one command runs at a time; grown, never shrunk). */
let scratchScores = new Float64Array(16);

/** ZADD and ZINCRBY (Redis's zaddGenericCommand); GEOADD calls it with the ZADD arguments it builds. */
export function zaddGeneric(c: Client, argv: string[], flags: number): void {
  const key = argv[1]!;
  let at = 2;
  for (; at < argv.length; at++) {
    const arg = argv[at]!;
    // every option is 2 or 4 letters: a score (`0`, `1.5`, `inf`) is not lower-cased to find out
    if ((arg.length !== 2 && arg.length !== 4) || !isLetter(arg.charCodeAt(0))) break;
    const opt = arg.toLowerCase();
    if (opt === 'nx') flags |= ZADD_NX;
    else if (opt === 'xx') flags |= ZADD_XX;
    else if (opt === 'ch') flags |= ZADD_CH;
    else if (opt === 'incr') flags |= ZADD_INCR;
    else if (opt === 'gt') flags |= ZADD_GT;
    else if (opt === 'lt') flags |= ZADD_LT;
    else break;
  }
  const pairs = argv.length - at;
  if (pairs === 0 || pairs % 2 !== 0) return c.reply.error(Err.SYNTAX);
  const nx = (flags & ZADD_NX) !== 0;
  const xx = (flags & ZADD_XX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  const incr = (flags & ZADD_INCR) !== 0;
  if (nx && xx) return c.reply.error(Err.ZADD_XX_AND_NX);
  if ((gt && nx) || (lt && nx) || (gt && lt)) return c.reply.error(Err.ZADD_GT_LT_NX);
  if (incr && pairs > 2) return c.reply.error(Err.ZADD_INCR_PAIRS);
  const count = pairs >> 1;
  if (scratchScores.length < count) scratchScores = new Float64Array(Math.max(count, scratchScores.length * 2));
  const scores = scratchScores;
  for (let j = 0; j < count; j++) {
    const s = parseStrictDouble(argv[at + 2 * j]!);
    if (s === null) return c.reply.error(Err.NOT_FLOAT);
    scores[j] = s;
  }
  const found = c.db.writeOf(key, ZSET, c.now);
  if (found === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let z = found;
  if (z === undefined && !xx) {
    z = newZset(c, argv[at + 1]!.length);
  }
  let error = false;
  if (z !== undefined) {
    const limits = c.server.config.limits;
    const entries = limits.zsetEntries;
    const value = limits.zsetValue;
    const before = ZSET.size(z);
    for (let j = 0; j < count; j++) {
      const member = argv[at + 1 + 2 * j]!;
      let s = scores[j]!;
      const cur = z.score(member);
      if (cur !== undefined) {
        if (nx) continue;
        if (incr) {
          s += cur;
          if (Number.isNaN(s)) {
            error = true;
            break;
          }
        }
        if ((lt && s >= cur) || (gt && s <= cur)) continue;
        score = s;
        processed++;
        if (s !== cur) {
          z.setScore(member, s, cur);
          updated++;
        }
      } else if (!xx) {
        z.insert(member, s, entries, value);
        score = s;
        added++;
        processed++;
      }
    }
    if (added + updated > 0) {
      if (found === undefined) c.db.set(key, z);
      else c.db.changed(key, ZSET.size(z) - before);
    }
  }
  if (error) c.reply.error(Err.SCORE_NAN);
  else if (incr) {
    if (processed > 0) c.reply.double(score);
    else c.reply.nil();
  } else c.reply.int(flags & ZADD_CH ? added + updated : added);
  if (added + updated > 0) c.notify('z', incr ? 'zincr' : 'zadd', key);
}

/**
 * Records the in-place change of the set at `key` (its size was `bytesBefore`) and deletes the
 * key when the set became empty; returns whether it did (the caller notifies `del`).
 * Contract: call after removing elements from the set stored at `key`.
 */
function afterRemoval(c: Client, key: string, z: ZSetValue, bytesBefore: number): boolean {
  c.db.changed(key, ZSET.size(z) - bytesBefore);
  if (z.size !== 0) return false;
  c.db.delete(key);
  return true;
}

/* ZREM key member [member ...] */
function zremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const z = c.db.writeOf(key, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.int(0);
  const before = ZSET.size(z);
  let deleted = 0;
  for (let i = 2; i < argv.length; i++) {
    if (z.remove(argv[i]!)) deleted++;
    if (z.size === 0) break;
  }
  if (deleted > 0) {
    const removed = afterRemoval(c, key, z, before);
    c.notify('z', 'zrem', key);
    if (removed) c.notify('g', 'del', key);
  }
  c.reply.int(deleted);
}

/* ZSCORE key member */
function zscoreCommand(c: Client, argv: string[]): void {
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const s = z?.score(argv[2]!);
  if (s === undefined) c.reply.nil();
  else c.reply.double(s);
}

/* ZMSCORE key member [member ...] */
function zmscoreCommand(c: Client, argv: string[]): void {
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const s = z?.score(argv[i]!);
    if (s === undefined) c.reply.nil();
    else c.reply.double(s);
  }
}

/* ZCARD key */
function zcardCommand(c: Client, argv: string[]): void {
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int(z === undefined ? 0 : z.size);
}

/* ZCOUNT key min max */
function zcountCommand(c: Client, argv: string[]): void {
  const min = parseScoreBound(argv[2]!);
  const max = parseScoreBound(argv[3]!);
  if (min === null || max === null) return c.reply.error(Err.MIN_MAX_NOT_FLOAT);
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.int(0);
  const [lo, hi] = z.scoreRange(min, max);
  c.reply.int(hi - lo);
}

/* ZLEXCOUNT key min max */
function zlexcountCommand(c: Client, argv: string[]): void {
  const min = parseLexBound(argv[2]!);
  const max = parseLexBound(argv[3]!);
  if (min === null || max === null) return c.reply.error(Err.MIN_MAX_NOT_LEX);
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.int(0);
  const [lo, hi] = z.lexRange(min, max);
  c.reply.int(hi - lo);
}

type RangeType = 'auto' | 'rank' | 'score' | 'lex';

/** What a ZRANGE-family command selected, once parsed. */
interface RangeRequest {
  type: 'rank' | 'score' | 'lex';
  rev: boolean;
  withScores: boolean;
  offset: number;
  limit: number;
  start: number;
  end: number;
  scoreMin: ScoreBound;
  scoreMax: ScoreBound;
  lexMin: LexBound;
  lexMax: LexBound;
}

/**
 * Parses a ZRANGE-family command whose key is at argv[keyAt] (min and max follow, then the
 * options), as Redis's zrangeGenericCommand: the options, then their conflicts, then the range.
 * `type`/`rev` are preset by the older forms (ZRANGEBYSCORE…), which take no BY…/REV option.
 * Returns the request or an error text.
 */
function parseRangeRequest(argv: string[], keyAt: number, store: boolean, type: RangeType, rev: boolean | null): RangeRequest | string {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyAt + 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const left = argv.length - j - 1;
    if (!store && opt === 'withscores') withScores = true;
    else if (opt === 'limit' && left >= 2) {
      const o = parseLong(argv[j + 1]!);
      const l = parseLong(argv[j + 2]!);
      if (o === null || l === null) return Err.NOT_INTEGER;
      offset = o;
      limit = l;
      j += 2;
    } else if (rev === null && opt === 'rev') rev = true;
    else if (type === 'auto' && opt === 'bylex') type = 'lex';
    else if (type === 'auto' && opt === 'byscore') type = 'score';
    else return Err.SYNTAX;
  }
  const resolved = type === 'auto' ? 'rank' : type;
  const reverse = rev ?? false;
  if (limit !== -1 && resolved === 'rank') return Err.ZRANGE_LIMIT_NEEDS_BY;
  if (withScores && resolved === 'lex') return Err.ZRANGE_WITHSCORES_BYLEX;
  let minArg = argv[keyAt + 1]!;
  let maxArg = argv[keyAt + 2]!;
  if (reverse && resolved !== 'rank') [minArg, maxArg] = [maxArg, minArg];
  const req: RangeRequest = {
    type: resolved,
    rev: reverse,
    withScores,
    offset,
    limit,
    start: 0,
    end: 0,
    scoreMin: { value: 0, ex: false },
    scoreMax: { value: 0, ex: false },
    lexMin: { inf: -1, value: '', ex: true },
    lexMax: { inf: 1, value: '', ex: true },
  };
  if (resolved === 'rank') {
    const start = parseLong(minArg);
    const end = parseLong(maxArg);
    if (start === null || end === null) return Err.NOT_INTEGER;
    req.start = start;
    req.end = end;
  } else if (resolved === 'score') {
    const min = parseScoreBound(minArg);
    const max = parseScoreBound(maxArg);
    if (min === null || max === null) return Err.MIN_MAX_NOT_FLOAT;
    req.scoreMin = min;
    req.scoreMax = max;
  } else {
    const min = parseLexBound(minArg);
    const max = parseLexBound(maxArg);
    if (min === null || max === null) return Err.MIN_MAX_NOT_LEX;
    req.lexMin = min;
    req.lexMax = max;
  }
  return req;
}

/** The elements a range request selects, in reply order. */
function selectRange(z: ZSetValue, req: RangeRequest): Array<[string, number]> {
  if (req.type === 'rank') {
    const [lo, hi] = rankRange(req.start, req.end, z.size, req.rev);
    return z.slice(lo, hi, req.rev);
  }
  if (req.offset < 0 || (req.offset > 0 && req.offset >= z.size)) return [];
  const [lo, hi] = req.type === 'score' ? z.scoreRange(req.scoreMin, req.scoreMax) : z.lexRange(req.lexMin, req.lexMax, req.rev);
  const n = hi - lo - req.offset;
  if (n <= 0) return [];
  const take = req.limit < 0 ? n : Math.min(n, req.limit);
  return req.rev ? z.slice(hi - req.offset - take, hi - req.offset, true) : z.slice(lo + req.offset, lo + req.offset + take);
}

/** The ZRANGE family replying to the client. */
function zrangeGeneric(c: Client, argv: string[], type: RangeType, rev: boolean | null): void {
  const req = parseRangeRequest(argv, 1, false, type, rev);
  if (typeof req === 'string') return c.reply.error(req);
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.array(0);
  replyElements(c, selectRange(z, req), req.withScores);
}

/* ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrangeCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 'auto', null);
}

/* ZREVRANGE key start stop [WITHSCORES] */
function zrevrangeCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 'rank', true);
}

/* ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 'score', false);
}

/* ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 'score', true);
}

/* ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 'lex', false);
}

/* ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGeneric(c, argv, 'lex', true);
}

/**
 * Stores `items` (in any order) at `dst` as a new sorted set, or deletes `dst` when there are
 * none; replies the count and notifies `event` (or `del`). `build` 'insert' grows the result as
 * ZADD would (ZRANGESTORE); 'compact' builds a skiplist and compacts it if it fits (the set
 * operations and GEO…STORE, as Redis's zsetConvertToListpackIfNeeded).
 */
export function storeZset(c: Client, dst: string, items: ReadonlyArray<[string, number]>, event: string, build: 'insert' | 'compact'): void {
  if (items.length === 0) {
    if (c.db.lookupWrite(dst, c.now) !== undefined) {
      c.db.delete(dst);
      c.notify('g', 'del', dst);
    }
    return c.reply.int(0);
  }
  const [entries, value] = zsetLimits(c);
  const z = new ZSetValue(build === 'insert' && entries !== 0);
  for (const [m, s] of items) {
    if (z.has(m)) z.setScore(m, s);
    else z.insert(m, s, entries, value);
  }
  if (build === 'compact') z.compactIfFits(entries, value);
  c.db.set(dst, z);
  c.reply.int(z.size);
  c.notify('z', event, dst);
}

/* ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] */
function zrangestoreCommand(c: Client, argv: string[]): void {
  const req = parseRangeRequest(argv, 2, true, 'auto', null);
  if (typeof req === 'string') return c.reply.error(req);
  const z = c.db.readOf(argv[2]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  storeZset(c, argv[1]!, z === undefined ? [] : selectRange(z, req), 'zrangestore', 'insert');
}

/* ZRANK key member */
function zrankCommand(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, false);
}

/* ZREVRANK key member */
function zrevrankCommand(c: Client, argv: string[]): void {
  zrankGeneric(c, argv, true);
}

function zrankGeneric(c: Client, argv: string[], rev: boolean): void {
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const rank = z === undefined ? -1 : z.rank(argv[2]!);
  if (rank < 0) c.reply.nil();
  else c.reply.int(rev ? z!.size - 1 - rank : rank);
}

/* ZREMRANGEBYRANK key start stop */
function zremrangebyrankCommand(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, 'rank');
}

/* ZREMRANGEBYSCORE key min max */
function zremrangebyscoreCommand(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, 'score');
}

/* ZREMRANGEBYLEX key min max */
function zremrangebylexCommand(c: Client, argv: string[]): void {
  zremrangeGeneric(c, argv, 'lex');
}

function zremrangeGeneric(c: Client, argv: string[], type: 'rank' | 'score' | 'lex'): void {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let scoreMin: ScoreBound | null = null;
  let scoreMax: ScoreBound | null = null;
  let lexMin: LexBound | null = null;
  let lexMax: LexBound | null = null;
  if (type === 'rank') {
    const s = parseLong(argv[2]!);
    const e = parseLong(argv[3]!);
    if (s === null || e === null) return c.reply.error(Err.NOT_INTEGER);
    start = s;
    end = e;
  } else if (type === 'score') {
    scoreMin = parseScoreBound(argv[2]!);
    scoreMax = parseScoreBound(argv[3]!);
    if (scoreMin === null || scoreMax === null) return c.reply.error(Err.MIN_MAX_NOT_FLOAT);
  } else {
    lexMin = parseLexBound(argv[2]!);
    lexMax = parseLexBound(argv[3]!);
    if (lexMin === null || lexMax === null) return c.reply.error(Err.MIN_MAX_NOT_LEX);
  }
  const z = c.db.writeOf(key, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.int(0);
  const [lo, hi] =
    type === 'rank' ? rankRange(start, end, z.size, false) : type === 'score' ? z.scoreRange(scoreMin!, scoreMax!) : z.lexRange(lexMin!, lexMax!);
  const doomed = z.slice(lo, hi);
  if (doomed.length === 0) return c.reply.int(0);
  const before = ZSET.size(z);
  for (const [m] of doomed) z.remove(m);
  const removed = afterRemoval(c, key, z, before);
  c.notify('z', 'zremrangeby' + type, key);
  if (removed) c.notify('g', 'del', key);
  c.reply.int(doomed.length);
}

/**
 * Pops from the set at `key` and does the keyspace side of it as Redis's genericZpopCommand:
 * the change (or the deletion of an emptied key), the `zpopmin`/`zpopmax` event and `del`.
 * For BZPOPMIN/BZPOPMAX/BZMPOP: look the key up with `c.db.writeOf(key, ZSET, c.now)`, call this,
 * then `replyPopped`.
 */
export function popFromKey(c: Client, key: string, z: ZSetValue, max: boolean, count: number): Array<[string, number]> {
  const before = ZSET.size(z);
  const popped = z.pop(max, count);
  if (popped.length > 0) {
    const removed = afterRemoval(c, key, z, before);
    c.notify('z', max ? 'zpopmax' : 'zpopmin', key);
    if (removed) c.notify('g', 'del', key);
  }
  return popped;
}

/**
 * Replies popped elements in the shapes of Redis's genericZpopCommand:
 *  - 'flat': [member, score, …] (ZPOPMIN/ZPOPMAX without COUNT; RESP2 with COUNT too)
 *  - 'pairs': ZPOPMIN/ZPOPMAX with COUNT (RESP3 nests each pair; RESP2 flat)
 *  - 'keyed-flat': [key, member, score] (BZPOPMIN/BZPOPMAX, both protocols)
 *  - 'keyed-nested': [key, [[member, score], …]] (ZMPOP/BZMPOP, both protocols)
 */
export function replyPopped(c: Client, key: string, popped: ReadonlyArray<[string, number]>, shape: 'flat' | 'pairs' | 'keyed-flat' | 'keyed-nested'): void {
  const r = c.reply;
  if (shape === 'pairs') return replyElements(c, popped, true);
  if (shape === 'keyed-nested') {
    r.array(2);
    r.bulk(key);
    r.array(popped.length);
    for (const [m, s] of popped) {
      r.array(2);
      r.bulk(m);
      r.double(s);
    }
    return;
  }
  if (shape === 'keyed-flat') {
    r.array(popped.length * 2 + 1);
    r.bulk(key);
  } else r.array(popped.length * 2);
  for (const [m, s] of popped) {
    r.bulk(m);
    r.double(s);
  }
}

/* ZPOPMIN key [count] */
function zpopminCommand(c: Client, argv: string[]): void {
  zpopMinMaxGeneric(c, argv, false);
}

/* ZPOPMAX key [count] */
function zpopmaxCommand(c: Client, argv: string[]): void {
  zpopMinMaxGeneric(c, argv, true);
}

function zpopMinMaxGeneric(c: Client, argv: string[], max: boolean): void {
  if (argv.length > 3) return c.reply.error(Err.SYNTAX);
  let count = -1;
  if (argv.length === 3) {
    const n = parseLong(argv[2]!);
    if (n === null || n < 0) return c.reply.error(Err.MUST_BE_POSITIVE);
    count = n;
  }
  const key = argv[1]!;
  const z = c.db.writeOf(key, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined || count === 0) return c.reply.array(0);
  const popped = popFromKey(c, key, z, max, count === -1 ? 1 : count);
  replyPopped(c, key, popped, count === -1 ? 'flat' : 'pairs');
}

/** Parses a count in [1, LONG_MAX] with Redis's getRangeLongFromObjectOrReply message. */
function parsePositiveCount(s: string): number | null {
  const n = parseInt64(s);
  return n === null || n < 1 ? null : Number(n);
}

export interface MpopArgs {
  keys: string[];
  max: boolean;
  count: number;
}

/**
 * Parses ZMPOP's and BZMPOP's `numkeys key [key ...] MIN|MAX [COUNT count]`, numkeys at
 * `argv[at]`: the keys, the end to pop from and the count (1 when absent), or an error text.
 */
export function parseMpopArgs(argv: string[], at: number): MpopArgs | string {
  const numkeys = parsePositiveCount(argv[at]!);
  if (numkeys === null) return Err.NUMKEYS_NOT_POSITIVE;
  const whereAt = at + 1 + numkeys;
  if (whereAt >= argv.length) return Err.SYNTAX;
  const where = argv[whereAt]!.toLowerCase();
  if (where !== 'min' && where !== 'max') return Err.SYNTAX;
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && argv[j]!.toLowerCase() === 'count' && j + 1 < argv.length) {
      const n = parsePositiveCount(argv[++j]!);
      if (n === null) return Err.COUNT_NOT_POSITIVE;
      count = n;
    } else return Err.SYNTAX;
  }
  return { keys: argv.slice(at + 1, whereAt), max: where === 'max', count: count === -1 ? 1 : count };
}

/* ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArgs(argv, 1);
  if (typeof args === 'string') return c.reply.error(args);
  for (const key of args.keys) {
    const z = c.db.writeOf(key, ZSET, c.now);
    if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
    if (z === undefined) continue;
    const popped = popFromKey(c, key, z, args.max, args.count);
    replyPopped(c, key, popped, 'keyed-nested');
    // replicated as ZPOP… of what it popped (Redis: the count capped at the set's size)
    c.rewrite(args.max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(popped.length));
    return;
  }
  c.reply.nilArray();
}

/* ZRANDMEMBER key [count [WITHSCORES]] */
function zrandmemberCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (argv.length >= 3) {
    const v = parseInt64(argv[2]!);
    if (v === null) return c.reply.error(Err.NOT_INTEGER);
    if (v === -9223372036854775808n) return c.reply.error(Err.LONG_RANGE);
    const withScores = argv.length === 4 && argv[3]!.toLowerCase() === 'withscores';
    if (argv.length > 4 || (argv.length === 4 && !withScores)) return c.reply.error(Err.SYNTAX);
    if (withScores && (v < -4611686018427387903n || v > 4611686018427387903n)) return c.reply.error(Err.OUT_OF_RANGE);
    return zrandmemberWithCount(c, key, Number(v), withScores);
  }
  const z = c.db.readOf(key, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return c.reply.nil();
  c.reply.bulk(z.at(Math.floor(Math.random() * z.size))![0]);
}

function zrandmemberWithCount(c: Client, key: string, l: number, withScores: boolean): void {
  const z = c.db.readOf(key, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined || l === 0) return c.reply.array(0);
  const size = z.size;
  const count = Math.abs(l);
  if (l < 0 || count === 1) {
    // repetitions allowed: count independent uniform picks (O(log n) each)
    const picks: Array<[string, number]> = [];
    for (let i = 0; i < count; i++) picks.push(z.at(Math.floor(Math.random() * size))!);
    return replyElements(c, picks, withScores);
  }
  // the whole set, highest first (Redis 7.0 replies it as a reversed range by score)
  if (count >= size) return replyElements(c, z.slice(0, size, true), withScores);
  // distinct: a partial Fisher-Yates over ranks (a map of the swapped positions only)
  const swapped = new Map<number, number>();
  const picks: Array<[string, number]> = [];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (size - i));
    const rankJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    picks.push(z.at(rankJ)!);
  }
  replyElements(c, picks, withScores);
}

/** An input of the set operations: a sorted set, a set (scores 1) or a missing key. */
interface SetOpSource {
  size: number;
  /** elements in iteration order */
  entries(): Array<[string, number]>;
  score(member: string): number | undefined;
  weight: number;
  value: Value | undefined;
}

/** What a plain set value offers (the set type's `members()`), read without importing it. */
interface SetLike {
  readonly size: number;
  has(member: string): boolean;
  members(): string[];
}

function setOpSource(v: Value | undefined): SetOpSource {
  if (v === undefined) return { size: 0, entries: () => [], score: () => undefined, weight: 1, value: v };
  if (v instanceof ZSetValue) return { size: v.size, entries: () => v.entries(), score: (m) => v.score(m), weight: 1, value: v };
  const set = v as unknown as SetLike;
  return {
    size: set.size,
    entries: () => set.members().map((m): [string, number] => [m, 1]),
    score: (m) => (set.has(m) ? 1 : undefined),
    weight: 1,
    value: v,
  };
}

type SetOp = 'union' | 'inter' | 'diff';

/** SUM, MIN or MAX of Redis's zunionInterAggregate (a SUM of inf and -inf is 0). */
function aggregate(target: number, value: number, how: 'sum' | 'min' | 'max'): number {
  if (how === 'sum') {
    const s = target + value;
    return Number.isNaN(s) ? 0 : s;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/**
 * ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD (Redis's zunionInterDiffGenericCommand):
 * numkeys at argv[numkeysAt], `dst` for the STORE forms, `cardinality` for ZINTERCARD.
 */
function zsetOpGeneric(c: Client, argv: string[], dst: string | null, numkeysAt: number, op: SetOp, cardinality = false): void {
  const name = argv[0]!.toLowerCase();
  const n = parseInt64(argv[numkeysAt]!);
  if (n === null) return c.reply.error(Err.NOT_INTEGER);
  if (n < 1) return c.reply.error(Err.ZSETOP_NO_KEYS(name));
  const setnum = Number(n);
  if (setnum > argv.length - (numkeysAt + 1)) return c.reply.error(Err.SYNTAX);
  const sources: SetOpSource[] = [];
  let j = numkeysAt + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = c.db.lookupRead(argv[j]!, c.now);
    if (v !== undefined) {
      const type = kindOf(v).name;
      if (type !== 'zset' && type !== 'set') return c.reply.error(Err.WRONGTYPE);
    }
    sources.push(setOpSource(v));
  }
  let how: 'sum' | 'min' | 'max' = 'sum';
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const opt = argv[j]!.toLowerCase();
    if (op !== 'diff' && !cardinality && remaining >= setnum + 1 && opt === 'weights') {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = parseStrictDouble(argv[j]!);
        if (w === null) return c.reply.error(Err.WEIGHT_NOT_FLOAT);
        sources[i]!.weight = w;
      }
    } else if (op !== 'diff' && !cardinality && remaining >= 2 && opt === 'aggregate') {
      const a = argv[j + 1]!.toLowerCase();
      if (a !== 'sum' && a !== 'min' && a !== 'max') return c.reply.error(Err.SYNTAX);
      how = a;
      j += 2;
    } else if (dst === null && !cardinality && opt === 'withscores') {
      withScores = true;
      j++;
    } else if (cardinality && remaining >= 2 && opt === 'limit') {
      const l = parseInt64(argv[j + 1]!);
      if (l === null || l < 0) return c.reply.error(Err.LIMIT_NEGATIVE);
      limit = Number(l);
      j += 2;
    } else return c.reply.error(Err.SYNTAX);
  }
  // smallest inputs first (a stable sort, as glibc's qsort merges)
  if (op !== 'diff') sources.sort((a, b) => a.size - b.size);
  const result = new Map<string, number>();
  let count = 0;
  if (op === 'inter') {
    const first = sources[0]!;
    if (first.size > 0) {
      for (const [m, s0] of first.entries()) {
        let score = first.weight * s0;
        if (Number.isNaN(score)) score = 0;
        let all = true;
        for (let k = 1; k < sources.length; k++) {
          const src = sources[k]!;
          const v = src.value === first.value ? s0 : src.score(m);
          if (v === undefined) {
            all = false;
            break;
          }
          score = aggregate(score, v * src.weight, how);
        }
        if (!all) continue;
        if (cardinality) {
          count++;
          if (limit && count >= limit) break;
        } else result.set(m, score);
      }
    }
  } else if (op === 'union') {
    for (const src of sources) {
      if (src.size === 0) continue;
      for (const [m, s] of src.entries()) {
        let score = src.weight * s;
        if (Number.isNaN(score)) score = 0;
        const cur = result.get(m);
        result.set(m, cur === undefined ? score : aggregate(cur, score, how));
      }
    }
  } else {
    const first = sources[0]!;
    for (const [m, s] of first.entries()) {
      let keep = true;
      for (let k = 1; k < sources.length && keep; k++) if (sources[k]!.score(m) !== undefined) keep = false;
      if (keep) result.set(m, s);
    }
  }
  if (cardinality) return c.reply.int(count);
  const items = [...result];
  if (dst !== null) return storeZset(c, dst, items, 'z' + op + 'store', 'compact');
  items.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  replyElements(c, items, withScores);
}

/* ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zunionCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, 'union');
}

/* ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zinterCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, 'inter');
}

/* ZDIFF numkeys key [key ...] [WITHSCORES] */
function zdiffCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, 'diff');
}

/* ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] */
function zunionstoreCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, argv[1]!, 2, 'union');
}

/* ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] */
function zinterstoreCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, argv[1]!, 2, 'inter');
}

/* ZDIFFSTORE destination numkeys key [key ...] */
function zdiffstoreCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, argv[1]!, 2, 'diff');
}

/* ZINTERCARD numkeys key [key ...] [LIMIT limit] */
function zintercardCommand(c: Client, argv: string[]): void {
  zsetOpGeneric(c, argv, null, 1, 'inter', true);
}

/* ZSCAN key cursor [MATCH pattern] [COUNT count] */
function zscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) return c.reply.error(Err.INVALID_CURSOR);
  const z = c.db.readOf(argv[1]!, ZSET, c.now);
  if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (z === undefined) return replyEmptyScan(c);
  const opts = parseCollectionScanOptions(argv, 3, SCAN_ERRORS);
  if (typeof opts === 'string') return c.reply.error(opts);
  // a compact set is returned whole (in rank order); a skiplist set is walked by the positions of
  // its members, as HSCAN and SSCAN walk theirs (collection-scan.ts)
  const table = z.positions;
  const all = table === null ? z.entries() : null;
  const coll = {
    size: z.size,
    compact: table === null,
    keyAt: (i: number) => (table === null ? all![i]![0] : table.keyAt(i)),
  };
  const out: Array<[string, number]> = [];
  const next = scanCollection(coll, cursor, opts, (i) => out.push(table === null ? all![i]! : z.elementAtPosition(i)));
  const r = c.reply;
  r.array(2);
  r.bulk(String(next));
  r.array(out.length * 2);
  for (const [m, s] of out) {
    r.bulk(m);
    r.bulk(formatDouble(s));
  }
}

const ZS = '@sortedset';

export const zsetCommands: CommandRow[] = [
  { name: 'zadd', arity: -4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: ZS, handler: zaddCommand },
  { name: 'zincrby', arity: 4, flags: 'write denyoom fast', keys: [1, 1, 1], categories: ZS, handler: zincrbyCommand },
  { name: 'zrem', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: ZS, handler: zremCommand },
  { name: 'zremrangebyscore', arity: 4, flags: 'write', keys: [1, 1, 1], categories: ZS, handler: zremrangebyscoreCommand },
  { name: 'zremrangebyrank', arity: 4, flags: 'write', keys: [1, 1, 1], categories: ZS, handler: zremrangebyrankCommand },
  { name: 'zremrangebylex', arity: 4, flags: 'write', keys: [1, 1, 1], categories: ZS, handler: zremrangebylexCommand },
  { name: 'zunionstore', arity: -4, flags: 'write denyoom movablekeys', keys: [1, 1, 1], categories: ZS, handler: zunionstoreCommand, getKeys: countedKeys(2, 3, 1) },
  { name: 'zinterstore', arity: -4, flags: 'write denyoom movablekeys', keys: [1, 1, 1], categories: ZS, handler: zinterstoreCommand, getKeys: countedKeys(2, 3, 1) },
  { name: 'zdiffstore', arity: -4, flags: 'write denyoom movablekeys', keys: [1, 1, 1], categories: ZS, handler: zdiffstoreCommand, getKeys: countedKeys(2, 3, 1) },
  { name: 'zunion', arity: -3, flags: 'readonly movablekeys', categories: ZS, handler: zunionCommand, getKeys: countedKeys(1, 2) },
  { name: 'zinter', arity: -3, flags: 'readonly movablekeys', categories: ZS, handler: zinterCommand, getKeys: countedKeys(1, 2) },
  { name: 'zintercard', arity: -3, flags: 'readonly movablekeys', categories: ZS, handler: zintercardCommand, getKeys: countedKeys(1, 2) },
  { name: 'zdiff', arity: -3, flags: 'readonly movablekeys', categories: ZS, handler: zdiffCommand, getKeys: countedKeys(1, 2) },
  { name: 'zrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrangeCommand },
  { name: 'zrangestore', arity: -5, flags: 'write denyoom', keys: [1, 2, 1], categories: ZS, handler: zrangestoreCommand },
  { name: 'zrangebyscore', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrangebyscoreCommand },
  { name: 'zrevrangebyscore', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrevrangebyscoreCommand },
  { name: 'zrangebylex', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrangebylexCommand },
  { name: 'zrevrangebylex', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrevrangebylexCommand },
  { name: 'zcount', arity: 4, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zcountCommand },
  { name: 'zlexcount', arity: 4, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zlexcountCommand },
  { name: 'zrevrange', arity: -4, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrevrangeCommand },
  { name: 'zcard', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zcardCommand },
  { name: 'zscore', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zscoreCommand },
  { name: 'zmscore', arity: -3, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zmscoreCommand },
  { name: 'zrank', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zrankCommand },
  { name: 'zrevrank', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: ZS, handler: zrevrankCommand },
  { name: 'zscan', arity: -3, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zscanCommand },
  { name: 'zpopmin', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: ZS, handler: zpopminCommand },
  { name: 'zpopmax', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: ZS, handler: zpopmaxCommand },
  { name: 'zmpop', arity: -4, flags: 'write movablekeys', categories: ZS, handler: zmpopCommand, getKeys: countedKeys(1, 2) },
  { name: 'zrandmember', arity: -2, flags: 'readonly', keys: [1, 1, 1], categories: ZS, handler: zrandmemberCommand },
];
