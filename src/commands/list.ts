/*
 * List commands, after Redis's t_list.c: pushes, pops (with COUNT), ranges, indexes, LPOS,
 * LINSERT, LREM, LTRIM, LMOVE/RPOPLPUSH, LMPOP, and the blocking forms BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH and BLMPOP (which block through core/blocking.ts when nothing can be popped).
 *
 * As in Redis: a list that becomes empty is deleted; pops notify `lpop`/`rpop` (then `del` when
 * the key goes); a blocking pop, served at once or later, propagates as the pop it did (LPOP key,
 * LPOP key count, LMOVE …, RPOPLPUSH …), never as the blocking command.
 */
import { parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { LIST, ListValue } from '../engine/list-value.js';
import { Err } from '../resp/errors.js';
import { parseTimeout } from '../core/blocking.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { countedKeys } from '../core/movable-keys.js';

const LLONG_MIN = -9223372036854775808n;

/** An integer argument as Redis's getLongFromObject (a Number: exact enough to compare with lengths), or null. */
function parseLong(arg: string): number | null {
  const v = parseInt64(arg);
  return v === null ? null : Number(v);
}

/** LEFT → true (the head), RIGHT → false, anything else null (Redis's getListPositionFromObject). */
function parseWhere(arg: string): boolean | null {
  const w = arg.toLowerCase();
  return w === 'left' ? true : w === 'right' ? false : null;
}

/** Makes room in `list` for the pushed `elements[from…]` under list-max-listpack-size. */
function growFor(c: Client, list: ListValue, elements: readonly string[], from: number): void {
  if (list.quicklist) return;
  let bytes = 0;
  for (let i = from; i < elements.length; i++) bytes += elements[i]!.length;
  list.growing(c.server.config.limits.listSize, bytes, elements.length - from);
}

/**
 * After elements were removed from the list at `key` (which was `before` bytes): notifies the
 * pop, and deletes the key when the list is empty (notifying `del`), else records the change.
 * Redis's listElementsRemoved.
 */
function listElementsRemoved(c: Client, key: string, head: boolean, list: ListValue, before: number): void {
  c.notify('l', head ? 'lpop' : 'rpop', key);
  removedOrDeleted(c, key, list, before);
}

/**
 * Records the in-place change of `list` (which was `before` bytes) at `key`, then deletes the key
 * when the list is empty (notifying `del`). The change is recorded first in both cases, so that
 * the delete subtracts what was counted: a list held as an object (a quicklist) is accounted by
 * its size as last reported, and deleting it unreported would leave the popped bytes counted.
 */
function removedOrDeleted(c: Client, key: string, list: ListValue, before: number): void {
  c.db.changed(key, LIST.size(list) - before);
  if (list.length === 0) {
    c.db.delete(key);
    c.notify('g', 'del', key);
  }
}

/*
 * LPUSH key element [element ...]   RPUSH key element [element ...]
 * LPUSHX key element [element ...]  RPUSHX key element [element ...]
 */
function pushGeneric(c: Client, argv: string[], head: boolean, onlyExisting: boolean): void {
  const key = argv[1]!;
  const db = c.db;
  const found = db.writeOf(key, LIST, c.now);
  if (found === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (found === undefined && onlyExisting) return c.reply.int(0);
  const list = found ?? new ListValue();
  const before = LIST.size(list);
  growFor(c, list, argv, 2);
  if (head) for (let i = 2; i < argv.length; i++) list.pushHead(argv[i]!);
  else for (let i = 2; i < argv.length; i++) list.pushTail(argv[i]!);
  if (found === undefined) db.set(key, list);
  else db.changed(key, LIST.size(list) - before);
  c.reply.int(list.length);
  c.notify('l', head ? 'lpush' : 'rpush', key);
}

const lpushCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, true, false);
const rpushCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, false, false);
const lpushxCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, true, true);
const rpushxCommand = (c: Client, argv: string[]): void => pushGeneric(c, argv, false, true);

/** Pops up to `count` elements from one end, in pop order. */
function popRange(list: ListValue, head: boolean, count: number): string[] {
  const n = Math.min(count, list.length);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = head ? list.popHead()! : list.popTail()!;
  return out;
}

/* LPOP key [count]   RPOP key [count] */
function popGeneric(c: Client, argv: string[], head: boolean): void {
  if (argv.length > 3) return c.reply.error(Err.WRONG_ARITY(argv[0]!.toLowerCase()));
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = parseLong(argv[2]!);
    if (n === null || n < 0) return c.reply.error(Err.NOT_POSITIVE);
    count = n;
  }
  const key = argv[1]!;
  const list = c.db.writeOf(key, LIST, c.now);
  if (list === undefined) return hasCount ? c.reply.nilArray() : c.reply.nil();
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (hasCount && count === 0) return c.reply.array(0);
  const before = LIST.size(list);
  if (!hasCount) {
    c.reply.bulk(head ? list.popHead()! : list.popTail()!);
  } else {
    c.reply.bulks(popRange(list, head, count));
  }
  listElementsRemoved(c, key, head, list, before);
}

const lpopCommand = (c: Client, argv: string[]): void => popGeneric(c, argv, true);
const rpopCommand = (c: Client, argv: string[]): void => popGeneric(c, argv, false);

/* LLEN key */
function llenCommand(c: Client, argv: string[]): void {
  const list = c.db.readOf(argv[1]!, LIST, c.now);
  if (list === undefined) c.reply.int(0);
  else if (list === WRONGTYPE) c.reply.error(Err.WRONGTYPE);
  else c.reply.int(list.length);
}

/**
 * Redis's range rule (LRANGE, LTRIM): negative indexes count from the tail; the result is the
 * inclusive [start, end] within the list, or null when empty.
 */
export function listRange(length: number, start: number, end: number): [number, number] | null {
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return null;
  if (end >= length) end = length - 1;
  return [start, end];
}

/* LRANGE key start stop */
function lrangeCommand(c: Client, argv: string[]): void {
  const start = parseLong(argv[2]!);
  const end = parseLong(argv[3]!);
  if (start === null || end === null) return c.reply.error(Err.NOT_INTEGER);
  const list = c.db.readOf(argv[1]!, LIST, c.now);
  if (list === undefined) return c.reply.array(0);
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const range = listRange(list.length, start, end);
  if (range === null) return c.reply.array(0);
  const [from, to] = range;
  c.reply.array(to - from + 1);
  list.writeRange(from, to, c.reply);
}

/** `index` (negative from the tail) as a position in a list of `length`, or -1 when outside. */
function position(length: number, index: number): number {
  const at = index < 0 ? length + index : index;
  return at >= 0 && at < length ? at : -1;
}

/* LINDEX key index */
function lindexCommand(c: Client, argv: string[]): void {
  const list = c.db.readOf(argv[1]!, LIST, c.now);
  if (list === undefined) return c.reply.nil();
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const index = parseLong(argv[2]!);
  if (index === null) return c.reply.error(Err.NOT_INTEGER);
  const at = position(list.length, index);
  if (at < 0) c.reply.nil();
  else c.reply.bulk(list.at(at));
}

/* LSET key index element */
function lsetCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const list = c.db.writeOf(key, LIST, c.now);
  if (list === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const index = parseLong(argv[2]!);
  if (index === null) return c.reply.error(Err.NOT_INTEGER);
  const at = position(list.length, index);
  if (at < 0) return c.reply.error(Err.INDEX_OUT_OF_RANGE);
  const before = LIST.size(list);
  growFor(c, list, argv, 3);
  list.set(at, argv[3]!);
  c.db.changed(key, LIST.size(list) - before);
  c.reply.ok();
  c.notify('l', 'lset', key);
}

/* LINSERT key BEFORE|AFTER pivot element */
function linsertCommand(c: Client, argv: string[]): void {
  const where = argv[2]!.toLowerCase();
  if (where !== 'before' && where !== 'after') return c.reply.error(Err.SYNTAX);
  const key = argv[1]!;
  const list = c.db.writeOf(key, LIST, c.now);
  if (list === undefined) return c.reply.int(0);
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const pivot = argv[3]!;
  let at = -1;
  for (let i = 0; i < list.length; i++) {
    if (list.at(i) === pivot) {
      at = i;
      break;
    }
  }
  if (at < 0) return c.reply.int(-1);
  const before = LIST.size(list);
  growFor(c, list, argv, 4);
  list.insertAt(where === 'after' ? at + 1 : at, argv[4]!);
  c.db.changed(key, LIST.size(list) - before);
  c.notify('l', 'linsert', key);
  c.reply.int(list.length);
}

/* LREM key count element */
function lremCommand(c: Client, argv: string[]): void {
  const count = parseInt64(argv[2]!);
  if (count === null) return c.reply.error(Err.NOT_INTEGER);
  const key = argv[1]!;
  const list = c.db.writeOf(key, LIST, c.now);
  if (list === undefined) return c.reply.int(0);
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const n = Number(count);
  const before = LIST.size(list);
  // Redis negates a negative count in a C long: LLONG_MIN stays negative, so no count of
  // removals ever equals it and every match goes, scanning from the tail
  const limit = typeof count === 'bigint' && count === LLONG_MIN ? 0 : Math.abs(n);
  const removed = list.remove(argv[3]!, limit, n < 0);
  if (removed !== 0) {
    c.notify('l', 'lrem', key);
    removedOrDeleted(c, key, list, before);
  }
  c.reply.int(removed);
}

/* LTRIM key start stop */
function ltrimCommand(c: Client, argv: string[]): void {
  const start = parseLong(argv[2]!);
  const end = parseLong(argv[3]!);
  if (start === null || end === null) return c.reply.error(Err.NOT_INTEGER);
  const key = argv[1]!;
  const list = c.db.writeOf(key, LIST, c.now);
  if (list === undefined) return c.reply.ok();
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const before = LIST.size(list);
  const length = list.length;
  const range = listRange(length, start, end);
  if (range === null) list.trim(1, 0);
  else list.trim(range[0], range[1]);
  c.notify('l', 'ltrim', key);
  // a trim that removes nothing changes nothing (Redis adds 0 to dirty: nothing propagates)
  if (list.length !== length) removedOrDeleted(c, key, list, before);
  c.reply.ok();
}

/* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
function lposCommand(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let i = 3; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const hasNext = i + 1 < argv.length;
    if (opt === 'rank' && hasNext) {
      const v = parseInt64(argv[++i]!);
      if (v === null) return c.reply.error(Err.NOT_INTEGER);
      if (v === 0) return c.reply.error(Err.LPOS_RANK_ZERO);
      // -LLONG_MIN overflows in Redis and stays negative: every match from the tail qualifies
      rank = BigInt(v) === LLONG_MIN ? -1 : Number(v);
    } else if (opt === 'count' && hasNext) {
      const v = parseLong(argv[++i]!);
      if (v === null || v < 0) return c.reply.error(Err.LPOS_COUNT_NEGATIVE);
      count = v;
    } else if (opt === 'maxlen' && hasNext) {
      const v = parseLong(argv[++i]!);
      if (v === null || v < 0) return c.reply.error(Err.LPOS_MAXLEN_NEGATIVE);
      maxlen = v;
    } else {
      return c.reply.error(Err.SYNTAX);
    }
  }
  const fromTail = rank < 0;
  if (fromTail) rank = -rank;
  const list = c.db.readOf(argv[1]!, LIST, c.now);
  if (list === undefined) return count !== -1 ? c.reply.array(0) : c.reply.nil();
  if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const element = argv[2]!;
  const length = list.length;
  const found: number[] = [];
  let matches = 0;
  for (let scanned = 0; scanned < length && (maxlen === 0 || scanned < maxlen); scanned++) {
    const at = fromTail ? length - 1 - scanned : scanned;
    if (list.at(at) !== element) continue;
    matches++;
    if (matches < rank) continue;
    found.push(at);
    if (count === -1 || (count !== 0 && matches - rank + 1 >= count)) break;
  }
  if (count !== -1) {
    c.reply.array(found.length);
    for (const at of found) c.reply.int(at);
  } else if (found.length !== 0) c.reply.int(found[0]!);
  else c.reply.nil();
}

/**
 * Moves one element from the head or tail of `src` (a non-empty list) to `dst`, replying it.
 * `servedLater`: notifies in the order Redis's blocked-client path does (pop, then push) rather
 * than LMOVE's (push, then pop). Returns false, having replied WRONGTYPE, when `dst` holds
 * another type.
 */
function moveElement(c: Client, srcKey: string, src: ListValue, dstKey: string, fromHead: boolean, toHead: boolean, servedLater: boolean): boolean {
  const db = c.db;
  const found = srcKey === dstKey ? src : db.writeOf(dstKey, LIST, c.now);
  if (found === WRONGTYPE) {
    c.reply.error(Err.WRONGTYPE);
    return false;
  }
  const srcBefore = LIST.size(src);
  const value = fromHead ? src.popHead()! : src.popTail()!;
  if (servedLater) c.notify('l', fromHead ? 'lpop' : 'rpop', srcKey);
  const dst = found ?? new ListValue();
  const dstBefore = srcKey === dstKey ? srcBefore : LIST.size(dst);
  growFor(c, dst, [value], 0);
  if (toHead) dst.pushHead(value);
  else dst.pushTail(value);
  if (found === undefined) db.set(dstKey, dst);
  else if (srcKey !== dstKey) db.changed(dstKey, LIST.size(dst) - dstBefore);
  c.notify('l', toHead ? 'lpush' : 'rpush', dstKey);
  c.reply.bulk(value);
  if (!servedLater) c.notify('l', fromHead ? 'lpop' : 'rpop', srcKey);
  removedOrDeleted(c, srcKey, src, srcBefore);
  return true;
}

/** LEFT or RIGHT, as Redis spells a position it propagates. */
const positionName = (head: boolean): string => (head ? 'LEFT' : 'RIGHT');

/*
 * LMOVE source destination LEFT|RIGHT LEFT|RIGHT   RPOPLPUSH source destination
 * (and BLMOVE/BRPOPLPUSH when the source has elements: propagated as LMOVE/RPOPLPUSH)
 */
function lmoveGeneric(c: Client, argv: string[], fromHead: boolean, toHead: boolean, propagateAs: string[] | null): void {
  const srcKey = argv[1]!;
  const src = c.db.writeOf(srcKey, LIST, c.now);
  if (src === undefined) return c.reply.nil();
  if (src === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (moveElement(c, srcKey, src, argv[2]!, fromHead, toHead, false) && propagateAs !== null) c.rewrite(...propagateAs);
}

/* LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmoveCommand(c: Client, argv: string[]): void {
  const fromHead = parseWhere(argv[3]!);
  const toHead = parseWhere(argv[4]!);
  if (fromHead === null || toHead === null) return c.reply.error(Err.SYNTAX);
  lmoveGeneric(c, argv, fromHead, toHead, null);
}

/* RPOPLPUSH source destination */
function rpoplpushCommand(c: Client, argv: string[]): void {
  lmoveGeneric(c, argv, false, true, null);
}

/** Replies LMPOP's answer for `key`: [key, [elements…]], popping up to `count`. */
function popKeyAndElements(c: Client, key: string, list: ListValue, head: boolean, count: number): void {
  const before = LIST.size(list);
  const elements = popRange(list, head, count);
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulks(elements);
  listElementsRemoved(c, key, head, list, before);
  // replicated as [LR]POP of what it popped (Redis: the count capped at the list's length)
  c.rewrite(head ? 'LPOP' : 'RPOP', key, String(elements.length));
}

interface MpopArgs {
  keys: string[];
  head: boolean;
  count: number;
}

/**
 * Parses LMPOP's `numkeys key [key ...] LEFT|RIGHT [COUNT count]` from argv[at], as Redis's
 * lmpopGenericCommand. Returns the arguments or an error text.
 */
function parseMpopArgs(argv: string[], at: number): MpopArgs | string {
  const numkeys = parseLong(argv[at]!);
  if (numkeys === null || numkeys <= 0) return Err.NUMKEYS_NOT_POSITIVE;
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) return Err.SYNTAX;
  const head = parseWhere(argv[whereAt]!);
  if (head === null) return Err.SYNTAX;
  let count = -1;
  for (let i = whereAt + 1; i < argv.length; i++) {
    if (count === -1 && argv[i]!.toLowerCase() === 'count' && i + 1 < argv.length) {
      const v = parseLong(argv[++i]!);
      if (v === null || v <= 0) return Err.COUNT_NOT_POSITIVE;
      count = v;
    } else return Err.SYNTAX;
  }
  return { keys: argv.slice(at + 1, whereAt), head, count: count === -1 ? 1 : count };
}

/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function lmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArgs(argv, 1);
  if (typeof args === 'string') return c.reply.error(args);
  for (const key of args.keys) {
    const list = c.db.writeOf(key, LIST, c.now);
    if (list === undefined) continue;
    if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
    return popKeyAndElements(c, key, list, args.head, args.count);
  }
  c.reply.nilArray();
}

/**
 * Pops for BLPOP/BRPOP (`count` -1: replies [key, element]) or BLMPOP (replies [key,
 * [elements…]]) from `list` at `key`, and propagates the pop.
 */
function blockingPopServe(c: Client, key: string, list: ListValue, head: boolean, count: number): void {
  if (count !== -1) return popKeyAndElements(c, key, list, head, count);
  const before = LIST.size(list);
  c.reply.array(2);
  c.reply.bulk(key);
  c.reply.bulk(head ? list.popHead()! : list.popTail()!);
  listElementsRemoved(c, key, head, list, before);
  c.rewrite(head ? 'LPOP' : 'RPOP', key);
}

/**
 * The shared body of BLPOP, BRPOP and BLMPOP: pops from the first non-empty list of `keys`, or
 * blocks until one of them can be popped (replying the null array on timeout, or at once when the
 * client may not block).
 */
function blockingPopGeneric(c: Client, keys: string[], head: boolean, timeoutArg: string, count: number): void {
  const deadline = parseTimeout(timeoutArg, c.now);
  if (typeof deadline === 'string') return c.reply.error(deadline);
  for (const key of keys) {
    const list = c.db.writeOf(key, LIST, c.now);
    if (list === undefined) continue;
    if (list === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
    return blockingPopServe(c, key, list, head, count);
  }
  if (c.denyBlocking) return c.reply.nilArray();
  c.server.blocking.block(c, {
    keys,
    deadline,
    serve(c, key) {
      const list = c.db.writeOf(key, LIST, c.now);
      if (list === undefined || list === WRONGTYPE) return false;
      blockingPopServe(c, key, list, head, count);
      return true;
    },
  });
}

/* BLPOP key [key ...] timeout */
function blpopCommand(c: Client, argv: string[]): void {
  blockingPopGeneric(c, argv.slice(1, -1), true, argv[argv.length - 1]!, -1);
}

/* BRPOP key [key ...] timeout */
function brpopCommand(c: Client, argv: string[]): void {
  blockingPopGeneric(c, argv.slice(1, -1), false, argv[argv.length - 1]!, -1);
}

/* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] */
function blmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArgs(argv, 2);
  if (typeof args === 'string') return c.reply.error(args);
  blockingPopGeneric(c, args.keys, args.head, argv[1]!, args.count);
}

/**
 * The shared body of BLMOVE and BRPOPLPUSH: LMOVE when the source has elements (propagated as
 * LMOVE/RPOPLPUSH), else blocks on the source. `brpoplpush`: propagate as RPOPLPUSH.
 */
function blmoveGeneric(c: Client, argv: string[], fromHead: boolean, toHead: boolean, timeoutArg: string, brpoplpush: boolean): void {
  const deadline = parseTimeout(timeoutArg, c.now);
  if (typeof deadline === 'string') return c.reply.error(deadline);
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  const src = c.db.writeOf(srcKey, LIST, c.now);
  if (src === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (src !== undefined) {
    const as = brpoplpush ? ['RPOPLPUSH', srcKey, dstKey] : ['LMOVE', srcKey, dstKey, argv[3]!, argv[4]!];
    return lmoveGeneric(c, argv, fromHead, toHead, as);
  }
  if (c.denyBlocking) return c.reply.nil();
  c.server.blocking.block(c, {
    keys: [srcKey],
    deadline,
    serve(c) {
      const src = c.db.writeOf(srcKey, LIST, c.now);
      if (src === undefined || src === WRONGTYPE) return false;
      // a destination of another type answers WRONGTYPE and unblocks, popping nothing (as Redis)
      if (moveElement(c, srcKey, src, dstKey, fromHead, toHead, true)) {
        if (brpoplpush) c.rewrite('RPOPLPUSH', srcKey, dstKey);
        else c.rewrite('LMOVE', srcKey, dstKey, positionName(fromHead), positionName(toHead));
      }
      return true;
    },
  });
}

/* BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmoveCommand(c: Client, argv: string[]): void {
  const fromHead = parseWhere(argv[3]!);
  const toHead = parseWhere(argv[4]!);
  if (fromHead === null || toHead === null) return c.reply.error(Err.SYNTAX);
  blmoveGeneric(c, argv, fromHead, toHead, argv[5]!, false);
}

/* BRPOPLPUSH source destination timeout */
function brpoplpushCommand(c: Client, argv: string[]): void {
  blmoveGeneric(c, argv, false, true, argv[3]!, true);
}

const WRITE_FAST = 'write denyoom fast';
const BLOCKING = 'write blocking movablekeys';

export const listCommands: CommandRow[] = [
  { name: 'lpush', arity: -3, flags: WRITE_FAST, keys: [1, 1, 1], categories: '@list', handler: lpushCommand },
  { name: 'rpush', arity: -3, flags: WRITE_FAST, keys: [1, 1, 1], categories: '@list', handler: rpushCommand },
  { name: 'lpushx', arity: -3, flags: WRITE_FAST, keys: [1, 1, 1], categories: '@list', handler: lpushxCommand },
  { name: 'rpushx', arity: -3, flags: WRITE_FAST, keys: [1, 1, 1], categories: '@list', handler: rpushxCommand },
  { name: 'lpop', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: '@list', handler: lpopCommand },
  { name: 'rpop', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: '@list', handler: rpopCommand },
  { name: 'llen', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@list', handler: llenCommand },
  { name: 'lrange', arity: 4, flags: 'readonly', keys: [1, 1, 1], categories: '@list', handler: lrangeCommand },
  { name: 'lindex', arity: 3, flags: 'readonly', keys: [1, 1, 1], categories: '@list', handler: lindexCommand },
  { name: 'lset', arity: 4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@list', handler: lsetCommand },
  { name: 'linsert', arity: 5, flags: 'write denyoom', keys: [1, 1, 1], categories: '@list', handler: linsertCommand },
  { name: 'lrem', arity: 4, flags: 'write', keys: [1, 1, 1], categories: '@list', handler: lremCommand },
  { name: 'ltrim', arity: 4, flags: 'write', keys: [1, 1, 1], categories: '@list', handler: ltrimCommand },
  { name: 'lpos', arity: -3, flags: 'readonly', keys: [1, 1, 1], categories: '@list', handler: lposCommand },
  { name: 'lmove', arity: 5, flags: 'write denyoom', keys: [1, 2, 1], categories: '@list', handler: lmoveCommand },
  { name: 'rpoplpush', arity: 3, flags: 'write denyoom', keys: [1, 2, 1], categories: '@list', handler: rpoplpushCommand },
  { name: 'lmpop', arity: -4, flags: 'write movablekeys', keys: [0, 0, 0], categories: '@list', handler: lmpopCommand, getKeys: countedKeys(1, 2) },
  { name: 'blpop', arity: -3, flags: 'write noscript blocking', keys: [1, -2, 1], categories: '@list', handler: blpopCommand },
  { name: 'brpop', arity: -3, flags: 'write noscript blocking', keys: [1, -2, 1], categories: '@list', handler: brpopCommand },
  { name: 'blmove', arity: 6, flags: 'write denyoom noscript blocking', keys: [1, 2, 1], categories: '@list', handler: blmoveCommand },
  { name: 'brpoplpush', arity: 4, flags: 'write denyoom noscript blocking', keys: [1, 2, 1], categories: '@list', handler: brpoplpushCommand },
  { name: 'blmpop', arity: -5, flags: BLOCKING, keys: [0, 0, 0], categories: '@list', handler: blmpopCommand, getKeys: countedKeys(2, 3) },
];
