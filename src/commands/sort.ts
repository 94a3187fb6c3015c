/*
 * SORT and SORT_RO, after Redis 7.0's sort.c: the elements of a list, set or sorted set, ordered
 * numerically (each element, or the value BY a pattern names, read as C's strtod reads it) or
 * ALPHA, in ASC or DESC order, cut by LIMIT, each replaced by the values GET patterns name, and
 * replied or STOREd as a list.
 *
 * As in Redis:
 * - BY a pattern without `*` (`BY nosort`) skips sorting: lists and sorted sets keep their own
 *   order (a sorted set's is by score), reversed by DESC, LIMIT applied to it; a set is then
 *   sorted ALPHA anyway when the result is STOREd or the caller is a script, so that what is
 *   stored or replicated is deterministic.
 * - Equal numeric scores order by the elements' bytes; ALPHA compares like strcoll in a C-like
 *   locale (the bytes up to the first NUL) unless STORE is given (all the bytes); the sort is
 *   stable (glibc's qsort merges), so elements that compare equal keep their input order.
 * - A pattern `p*q` names the key `p<element>q`, which must hold a string; `p*q->f` names field
 *   `f` of the hash at `p<element>q`; `#` (GET only) is the element itself. Only the first `*`
 *   counts, and only up to a NUL byte (Redis searches the pattern as a C string).
 * - SORT of a sorted set converts it to a skiplist first (Redis's zsetConvert): OBJECT ENCODING
 *   shows it, nothing else does.
 * - An empty result STOREd deletes the destination (notifying `del`); otherwise it is replaced by
 *   the list (notifying `sortstore`; any TTL goes).
 * - With cluster-enabled, BY with a real pattern and GET are refused.
 */
import { HASH, type HashValue } from '../engine/hash-value.js';
import { parseInt64 } from '../engine/int64.js';
import { LIST, ListValue } from '../engine/list-value.js';
import { SET, type SetValue } from '../engine/set-value.js';
import { strtod } from '../engine/strtod.js';
import { STRING, kindOf, stringOf, type StringValue } from '../engine/values.js';
import { ZSET, type ZSetValue } from '../engine/zset-value.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow, KeyRef } from '../core/command-types.js';

/** The parsed options of one SORT. */
export interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: bigint;
  limitCount: bigint;
  /** STORE destination, or null */
  store: string | null;
  /** BY pattern, or null */
  by: string | null;
  /** BY a pattern without `*`: keep the natural order */
  dontSort: boolean;
  /** GET patterns, in order */
  gets: string[];
}

/** `s` up to its first NUL byte: the part of a pattern C's strchr/strstr see. */
function cPart(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * Parses SORT's options (argv[2…]), left to right as Redis does: the first bad option decides the
 * error. Returns the options or an error text. `readonly` (SORT_RO) makes STORE a syntax error.
 */
export function parseSortOptions(argv: readonly string[], readonly: boolean, cluster: boolean): SortOptions | { error: string } {
  const o: SortOptions = { desc: false, alpha: false, limitStart: 0n, limitCount: -1n, store: null, by: null, dontSort: false, gets: [] };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = argv[j]!.toLowerCase();
    if (opt === 'asc') o.desc = false;
    else if (opt === 'desc') o.desc = true;
    else if (opt === 'alpha') o.alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const start = parseInt64(argv[j + 1]!);
      const count = start === null ? null : parseInt64(argv[j + 2]!);
      if (start === null || count === null) return { error: Err.NOT_INTEGER };
      o.limitStart = BigInt(start);
      o.limitCount = BigInt(count);
      j += 2;
    } else if (opt === 'store' && left >= 1 && !readonly) {
      o.store = argv[++j]!;
    } else if (opt === 'by' && left >= 1) {
      o.by = argv[++j]!;
      if (!cPart(o.by).includes('*')) o.dontSort = true;
      else if (cluster) return { error: Err.SORT_BY_CLUSTER };
    } else if (opt === 'get' && left >= 1) {
      if (cluster) return { error: Err.SORT_GET_CLUSTER };
      o.gets.push(argv[++j]!);
    } else return { error: Err.SYNTAX };
  }
  return o;
}

/**
 * The value a pattern names for `element` (Redis's lookupKeyByPattern): the element itself for
 * `#`, a string key's value, a hash field's value, or null (no `*`, missing key or field, other
 * type). Side effect: the key is looked up as a read (lazy expiry, keyspace hits and misses).
 */
function lookupByPattern(c: Client, pattern: string, element: string): string | null {
  const visible = cPart(pattern);
  if (visible === '#') return element;
  const star = visible.indexOf('*');
  if (star < 0) return null;
  const arrow = visible.indexOf('->', star + 1);
  const hasField = arrow >= 0 && arrow + 2 < visible.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, hasField ? arrow : pattern.length);
  const v = c.db.lookupRead(key, c.now);
  if (v === undefined) return null;
  const kind = kindOf(v);
  if (!hasField) return kind === STRING ? stringOf(v as StringValue) : null;
  if (kind !== HASH) return null;
  return (v as HashValue).get(pattern.slice(arrow + 2)) ?? null;
}

/** The smallest positive normal double: glibc's strtod reports ERANGE below it. */
const DBL_MIN = 2.2250738585072014e-308;

/** A sort score as SORT reads it (strtod up to the first NUL, all of it used), or null. */
function sortScore(s: string): number | null {
  const text = cPart(s);
  const r = strtod(text);
  if (r.end !== text.length || r.erange || Number.isNaN(r.value)) return null;
  if (r.value !== 0 && Math.abs(r.value) < DBL_MIN) return null;
  return r.value;
}

/** memcmp then length, as Redis's compareStringObjects (binary). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in a C-like locale: the bytes up to the first NUL. */
function collate(a: string, b: string): number {
  return compareBytes(cPart(a), cPart(b));
}

interface SortItem {
  element: string;
  score: number;
  /** ALPHA BY: the value compared (null when the pattern found nothing) */
  by: string | null;
}

const item = (element: string): SortItem => ({ element, score: 0, by: null });

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination] */
function sortCommand(c: Client, argv: string[]): void {
  sortGeneric(c, argv, false);
}

/* SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] */
function sortRoCommand(c: Client, argv: string[]): void {
  sortGeneric(c, argv, true);
}

function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const parsed = parseSortOptions(argv, readonly, c.server.config.get('cluster-enabled') === 'yes');
  if ('error' in parsed) return c.reply.error(parsed.error);
  const o = parsed;
  const key = argv[1]!;
  const v = c.db.lookupRead(key, c.now);
  const kind = v === undefined ? LIST : kindOf(v);
  if (kind !== LIST && kind !== SET && kind !== ZSET) return c.reply.error(Err.WRONGTYPE);

  let { dontSort, alpha, by } = o;
  if (dontSort && kind === SET && (o.store !== null || c.script)) {
    dontSort = false;
    alpha = true;
    by = null;
  }
  if (kind === ZSET) {
    const z = v as ZSetValue;
    if (z.encoding === 'listpack') {
      const before = ZSET.size(z);
      z.convert();
      c.db.reencoded(key, ZSET.size(z) - before);
    }
  }

  const length = v === undefined ? 0 : kind === LIST ? (v as ListValue).length : kind === SET ? (v as SetValue).size : (v as ZSetValue).size;
  // LIMIT, clamped to the length first (so no arithmetic overflows), as Redis 7.0.15
  let start = Number(o.limitStart < 0n ? 0n : o.limitStart > BigInt(length) ? BigInt(length) : o.limitStart);
  const count = Number(o.limitCount < -1n ? -1n : o.limitCount > BigInt(length) ? BigInt(length) : o.limitCount);
  let end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  let items: SortItem[];
  if (v === undefined) items = [];
  else if (kind === LIST) {
    const list = v as ListValue;
    if (dontSort) {
      items = [];
      if (end >= start) {
        const n = end - start + 1;
        if (!o.desc) for (let i = start; i < start + n; i++) items.push(item(list.at(i)));
        else for (let i = length - start - 1, k = 0; k < n; i--, k++) items.push(item(list.at(i)));
        end -= start;
        start = 0;
      }
    } else items = list.toArray().map(item);
  } else if (kind === SET) {
    items = (v as SetValue).members().map(item);
  } else {
    const z = v as ZSetValue;
    if (dontSort) {
      items = [];
      const n = Math.max(0, end - start + 1);
      if (!o.desc) z.each(start, start + n, false, (m) => items.push(item(m)));
      else z.each(length - start - n, length - start, true, (m) => items.push(item(m)));
      end -= start;
      start = 0;
    } else {
      items = [];
      for (const [m] of z.memberScores()) items.push(item(m));
    }
  }

  let badScore = false;
  if (!dontSort) {
    for (const it of items) {
      let value: string | null;
      if (by !== null) {
        value = lookupByPattern(c, by, it.element);
        if (value === null) continue;
      } else value = it.element;
      if (alpha) {
        if (by !== null) it.by = value;
      } else {
        const score = sortScore(value);
        if (score === null) badScore = true;
        else it.score = score;
      }
    }
    const sign = o.desc ? -1 : 1;
    const binary = o.store !== null;
    let cmp: (a: SortItem, b: SortItem) => number;
    if (!alpha) cmp = (a, b) => (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element));
    else if (by !== null) {
      cmp = (a, b) => {
        if (a.by === null || b.by === null) return a.by === b.by ? 0 : a.by === null ? -1 : 1;
        return binary ? compareBytes(a.by, b.by) : collate(a.by, b.by);
      };
    } else cmp = binary ? (a, b) => compareBytes(a.element, b.element) : (a, b) => collate(a.element, b.element);
    items.sort((a, b) => sign * cmp(a, b));
  }

  if (badScore) return c.reply.error(Err.SORT_SCORE_NOT_DOUBLE);
  const n = Math.max(0, end - start + 1);
  const outputLength = o.gets.length > 0 ? o.gets.length * n : n;
  if (o.store === null) {
    c.reply.array(outputLength);
    for (let j = start; j <= end; j++) {
      const element = items[j]!.element;
      if (o.gets.length === 0) c.reply.bulk(element);
      for (const pattern of o.gets) {
        const value = lookupByPattern(c, pattern, element);
        if (value === null) c.reply.nil();
        else c.reply.bulk(value);
      }
    }
    return;
  }
  const out: string[] = [];
  for (let j = start; j <= end; j++) {
    const element = items[j]!.element;
    if (o.gets.length === 0) out.push(element);
    for (const pattern of o.gets) out.push(lookupByPattern(c, pattern, element) ?? '');
  }
  storeSorted(c, o.store, out);
  c.reply.int(outputLength);
}

/**
 * Stores `elements` at `dst` as a new list, replacing whatever was there and its TTL; deletes
 * `dst` when there are none. Notifies as Redis does.
 */
function storeSorted(c: Client, dst: string, elements: string[]): void {
  if (elements.length > 0) {
    const list = new ListValue();
    for (const e of elements) list.pushTail(e);
    c.db.lookupWrite(dst, c.now); // setKey's lookup: an expired destination expires first
    c.db.set(dst, list);
    c.notify('l', 'sortstore', dst);
  } else if (c.db.delete(dst)) {
    // dbDelete, without a lookup: even an expired destination is deleted as such
    c.notify('g', 'del', dst);
  }
}

/**
 * SORT's keys for COMMAND GETKEYS (Redis's sortGetKeys): the sorted key, and the destination of
 * the last STORE that has an argument after it. LIMIT skips two arguments, GET and BY one; any
 * other word none.
 */
export function sortGetKeys(argv: readonly string[]): KeyRef[] {
  const keys: KeyRef[] = [{ pos: 1, flags: ['RO', 'access'] }];
  let store: KeyRef | null = null;
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i]!.toLowerCase();
    if (word === 'limit') i += 2;
    else if (word === 'get' || word === 'by') i += 1;
    else if (word === 'store' && i + 1 < argv.length) store = { pos: i + 1, flags: ['OW', 'update'] };
  }
  if (store !== null) keys.push(store);
  return keys;
}

/** SORT_RO's keys: the sorted key only (Redis's sortROGetKeys). */
function sortRoGetKeys(): KeyRef[] {
  return [{ pos: 1, flags: ['RO', 'access'] }];
}

export const sortCommands: CommandRow[] = [
  { name: 'sort', arity: -2, flags: 'write denyoom movablekeys', keys: [1, 1, 1], categories: '@set @sortedset @list @dangerous', handler: sortCommand, getKeys: sortGetKeys },
  { name: 'sort_ro', arity: -2, flags: 'readonly movablekeys', keys: [1, 1, 1], categories: '@set @sortedset @list @dangerous', handler: sortRoCommand, getKeys: sortRoGetKeys },
];
