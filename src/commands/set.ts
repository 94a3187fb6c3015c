/*
 * Set commands, after Redis's t_set.c.
 */
import { parseCollectionScanOptions, scanCollection } from '../engine/collection-scan.js';
import { parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { randomBelow, uniquePositions } from '../engine/random-pick.js';
import { parseCursor } from '../engine/scan.js';
import { SET, SetValue } from '../engine/set-value.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { countedKeys } from '../core/movable-keys.js';
import { parseRandomCount, replyEmptyScan, SCAN_ERRORS } from './hash.js';

/** SREM batches the members a counted SPOP propagates, as Redis does (1024 per SREM). */
const SPOP_PROPAGATE_BATCH = 1024;
/** SPOP with a count rebuilds the set when fewer than count/5 members would remain (Redis's case 3). */
const SPOP_MOVE_STRATEGY_MUL = 5;

function maxIntset(c: Client): number {
  return c.server.config.limits.setIntsetEntries;
}

/** Replies the members of `s` (RESP3: a set). */
function replyMembers(c: Client, s: SetValue | undefined): void {
  const n = s === undefined ? 0 : s.size;
  c.reply.set(n);
  for (let i = 0; i < n; i++) c.reply.bulk(s!.memberAt(i));
}

/* SADD key member [member ...] */
function saddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const found = c.db.writeOf(key, SET, c.now);
  if (found === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const s = found ?? new SetValue(argv[2]!);
  const before = s.bytes;
  const max = maxIntset(c);
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (s.add(argv[i]!, max)) added++;
  if (found === undefined) c.db.set(key, s);
  else if (added > 0) c.db.changed(key, s.bytes - before);
  if (added > 0) c.notify('s', 'sadd', key);
  c.reply.int(added);
}

/* SREM key member [member ...] */
function sremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const s = c.db.writeOf(key, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.int(0);
  const before = s.bytes;
  let deleted = 0;
  let removed = false;
  for (let i = 2; i < argv.length; i++) {
    if (!s.delete(argv[i]!)) continue;
    deleted++;
    if (s.size === 0) {
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    // the size change is reported first, so that the delete subtracts what was counted
    c.db.changed(key, s.bytes - before);
    if (removed) c.db.delete(key);
    c.notify('s', 'srem', key);
    if (removed) c.notify('g', 'del', key);
  }
  c.reply.int(deleted);
}

/* SISMEMBER key member */
function sismemberCommand(c: Client, argv: string[]): void {
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int(s !== undefined && s.has(argv[2]!) ? 1 : 0);
}

/* SMISMEMBER key member [member ...] */
function smismemberCommand(c: Client, argv: string[]): void {
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.int(s !== undefined && s.has(argv[i]!) ? 1 : 0);
}

/* SMEMBERS key */
function smembersCommand(c: Client, argv: string[]): void {
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  replyMembers(c, s);
}

/* SCARD key */
function scardCommand(c: Client, argv: string[]): void {
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  c.reply.int(s === undefined ? 0 : s.size);
}

/* SPOP key [count] */
function spopCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) return spopWithCount(c, argv);
  if (argv.length > 3) return c.reply.error(Err.SYNTAX);
  const key = argv[1]!;
  const s = c.db.writeOf(key, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.nil();
  const before = s.bytes;
  const m = s.deleteAt(randomBelow(s.size));
  c.notify('s', 'spop', key);
  // replaying a random pop elsewhere would pick another member: propagate what went
  c.rewrite('SREM', key, m);
  c.db.changed(key, s.bytes - before);
  if (s.size === 0) {
    c.db.delete(key);
    c.notify('g', 'del', key);
  }
  c.reply.bulk(m);
}

/** SPOP key count: Redis's three cases (the whole set; pop one by one; rebuild from the rest). */
function spopWithCount(c: Client, argv: string[]): void {
  const parsed = parseInt64(argv[2]!);
  if (parsed === null || parsed < 0) return c.reply.error(Err.MUST_BE_POSITIVE);
  const key = argv[1]!;
  const s = c.db.writeOf(key, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined || parsed === 0) return c.reply.set(0);
  const size = s.size;
  c.notify('s', 'spop', key);
  if (parsed >= size) {
    replyMembers(c, s);
    c.db.delete(key);
    c.notify('g', 'del', key);
    c.rewrite('DEL', key);
    return;
  }
  const count = Number(parsed);
  const remaining = size - count;
  const popped: string[] = [];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    const before = s.bytes;
    for (let i = 0; i < count; i++) popped.push(s.deleteAt(randomBelow(s.size)));
    c.db.changed(key, s.bytes - before);
  } else {
    // most of the set goes: move the few that stay into a new set, reply what is left behind
    // the new set takes the encoding Redis's setTypeCreate picks for its first member
    const keep = uniquePositions(size, remaining);
    const rebuilt = new SetValue(s.memberAt(keep[0]!));
    const max = maxIntset(c);
    for (const i of keep) rebuilt.add(s.memberAt(i), max);
    const kept = new Set(keep);
    for (let i = 0; i < size; i++) if (!kept.has(i)) popped.push(s.memberAt(i));
    c.db.replace(key, s, rebuilt);
  }
  c.reply.set(popped.length);
  for (const m of popped) c.reply.bulk(m);
  for (let i = 0; i < popped.length; i += SPOP_PROPAGATE_BATCH) {
    c.rewrite('SREM', key, ...popped.slice(i, i + SPOP_PROPAGATE_BATCH));
  }
}

/* SRANDMEMBER key [count] */
function srandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) return srandmemberWithCount(c, argv);
  if (argv.length > 3) return c.reply.error(Err.SYNTAX);
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.nil();
  c.reply.bulk(s.memberAt(randomBelow(s.size)));
}

function srandmemberWithCount(c: Client, argv: string[]): void {
  const parsed = parseRandomCount(argv[2]!);
  if (typeof parsed === 'string') return c.reply.error(parsed);
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined || parsed === 0) return c.reply.array(0);
  const size = s.size;
  if (parsed < 0) {
    // with repetitions: each pick independent
    const count = Number(-BigInt(parsed));
    c.reply.array(count);
    for (let i = 0; i < count; i++) c.reply.bulk(s.memberAt(randomBelow(size)));
    return;
  }
  if (parsed >= size) {
    c.reply.array(size);
    for (let i = 0; i < size; i++) c.reply.bulk(s.memberAt(i));
    return;
  }
  const positions = uniquePositions(size, Number(parsed));
  c.reply.array(positions.length);
  for (const i of positions) c.reply.bulk(s.memberAt(i));
}

/* SMOVE source destination member */
function smoveCommand(c: Client, argv: string[]): void {
  const [, src, dst, m] = argv as [string, string, string, string];
  const db = c.db;
  const srcSet = db.writeOf(src, SET, c.now);
  const dstSet = db.writeOf(dst, SET, c.now);
  if (srcSet === undefined) return c.reply.int(0);
  if (srcSet === WRONGTYPE || dstSet === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (srcSet === dstSet) return c.reply.int(srcSet.has(m) ? 1 : 0);
  const before = srcSet.bytes;
  if (!srcSet.delete(m)) return c.reply.int(0);
  c.notify('s', 'srem', src);
  db.changed(src, srcSet.bytes - before);
  if (srcSet.size === 0) {
    db.delete(src);
    c.notify('g', 'del', src);
  }
  const target = dstSet ?? new SetValue(m);
  const dstBefore = target.bytes;
  const added = target.add(m, maxIntset(c));
  if (dstSet === undefined) db.set(dst, target);
  // a destination that had the member already is not changed (nor signalled: WATCH holds), as Redis
  else if (added) db.changed(dst, target.bytes - dstBefore);
  if (added) c.notify('s', 'sadd', dst);
  c.reply.int(1);
}

/**
 * The sets at `keys` (undefined for a missing key), or WRONGTYPE when any holds another type.
 * Read lookups (keyspace hits and misses) for the STORE forms too, as Redis.
 */
function lookupSets(c: Client, keys: readonly string[]): Array<SetValue | undefined> | typeof WRONGTYPE {
  const out: Array<SetValue | undefined> = [];
  for (const key of keys) {
    const s = c.db.readOf(key, SET, c.now);
    if (s === WRONGTYPE) return WRONGTYPE;
    out.push(s);
  }
  return out;
}

/**
 * Stores `result` at `dst` for the STORE forms (an empty result deletes `dst`), notifies and
 * replies the size.
 */
function storeResult(c: Client, dst: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    c.db.set(dst, result);
    c.notify('s', event, dst);
  } else if (c.db.delete(dst)) {
    c.notify('g', 'del', dst);
  }
  c.reply.int(result.size);
}

/** The members of the intersection, in the order of the smallest set (each set present). */
function intersect(sets: SetValue[], limit: number): string[] {
  const sorted = sets.slice().sort((a, b) => a.size - b.size);
  const first = sorted[0]!;
  const out: string[] = [];
  for (let i = 0; i < first.size; i++) {
    const m = first.memberAt(i);
    let all = true;
    for (let j = 1; j < sorted.length; j++) {
      if (sorted[j] !== first && !sorted[j]!.has(m)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    out.push(m);
    if (out.length === limit) break;
  }
  return out;
}

/* SINTER key [key ...] */
function sinterCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(1), null);
}

/* SINTERSTORE destination key [key ...] */
function sinterstoreCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(2), argv[1]!);
}

function sinterGeneric(c: Client, keys: string[], dst: string | null): void {
  const sets = lookupSets(c, keys);
  if (sets === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const present = sets.filter((s): s is SetValue => s !== undefined);
  const members = present.length < sets.length ? [] : intersect(present, 0);
  if (dst === null) {
    c.reply.set(members.length);
    for (const m of members) c.reply.bulk(m);
    return;
  }
  storeResult(c, dst, buildSet(c, members), 'sinterstore');
}

/** A new set holding `members` (an intset while they allow it), as Redis builds results. */
function buildSet(c: Client, members: Iterable<string>): SetValue {
  const out = new SetValue();
  const max = maxIntset(c);
  for (const m of members) out.add(m, max);
  return out;
}

/* SINTERCARD numkeys key [key ...] [LIMIT limit] */
function sintercardCommand(c: Client, argv: string[]): void {
  const numkeys = parseInt64(argv[1]!);
  if (numkeys === null || numkeys < 1) return c.reply.error(Err.NUMKEYS_NOT_POSITIVE);
  if (numkeys > argv.length - 2) return c.reply.error(Err.NUMKEYS_TOO_MANY);
  const n = Number(numkeys);
  let limit = 0;
  for (let i = 2 + n; i < argv.length; i++) {
    if (argv[i]!.toLowerCase() === 'limit' && i + 1 < argv.length) {
      const l = parseInt64(argv[++i]!);
      if (l === null || l < 0) return c.reply.error(Err.LIMIT_NEGATIVE);
      limit = typeof l === 'bigint' ? Number.MAX_SAFE_INTEGER : l;
    } else return c.reply.error(Err.SYNTAX);
  }
  const sets = lookupSets(c, argv.slice(2, 2 + n));
  if (sets === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const present = sets.filter((s): s is SetValue => s !== undefined);
  c.reply.int(present.length < sets.length ? 0 : intersect(present, limit).length);
}

const UNION = 0;
const DIFF = 1;

/* SUNION key [key ...] */
function sunionCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(1), null, UNION);
}

/* SUNIONSTORE destination key [key ...] */
function sunionstoreCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(2), argv[1]!, UNION);
}

/* SDIFF key [key ...] */
function sdiffCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(1), null, DIFF);
}

/* SDIFFSTORE destination key [key ...] */
function sdiffstoreCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(2), argv[1]!, DIFF);
}

function sunionDiffGeneric(c: Client, keys: string[], dst: string | null, op: number): void {
  const sets = lookupSets(c, keys);
  if (sets === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const result = new SetValue();
  const max = maxIntset(c);
  if (op === UNION) {
    for (const s of sets) if (s !== undefined) for (let i = 0; i < s.size; i++) result.add(s.memberAt(i), max);
  } else {
    const first = sets[0];
    if (first !== undefined) {
      for (let i = 0; i < first.size; i++) {
        const m = first.memberAt(i);
        let keep = true;
        for (let j = 1; j < sets.length; j++) {
          const other = sets[j];
          if (other !== undefined && (other === first || other.has(m))) {
            keep = false;
            break;
          }
        }
        if (keep) result.add(m, max);
      }
    }
  }
  if (dst === null) return replyMembers(c, result);
  storeResult(c, dst, result, op === UNION ? 'sunionstore' : 'sdiffstore');
}

/* SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscanCommand(c: Client, argv: string[]): void {
  const cursor = parseCursor(argv[2]!);
  if (cursor === null) return c.reply.error(Err.INVALID_CURSOR);
  const s = c.db.readOf(argv[1]!, SET, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return replyEmptyScan(c);
  const opts = parseCollectionScanOptions(argv, 3, SCAN_ERRORS);
  if (typeof opts === 'string') return c.reply.error(opts);
  const out: string[] = [];
  const coll = { size: s.size, compact: s.isIntset, keyAt: (i: number) => s.memberAt(i) };
  const next = scanCollection(coll, cursor, opts, (i) => out.push(s.memberAt(i)));
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.bulks(out);
}

export const setCommands: CommandRow[] = [
  { name: 'sadd', arity: -3, flags: 'write denyoom fast', keys: [1, 1, 1], categories: '@set', handler: saddCommand },
  { name: 'srem', arity: -3, flags: 'write fast', keys: [1, 1, 1], categories: '@set', handler: sremCommand },
  { name: 'sismember', arity: 3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@set', handler: sismemberCommand },
  { name: 'smismember', arity: -3, flags: 'readonly fast', keys: [1, 1, 1], categories: '@set', handler: smismemberCommand },
  { name: 'smembers', arity: 2, flags: 'readonly', keys: [1, 1, 1], categories: '@set', handler: smembersCommand },
  { name: 'scard', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@set', handler: scardCommand },
  { name: 'spop', arity: -2, flags: 'write fast', keys: [1, 1, 1], categories: '@set', handler: spopCommand },
  { name: 'srandmember', arity: -2, flags: 'readonly', keys: [1, 1, 1], categories: '@set', handler: srandmemberCommand },
  { name: 'smove', arity: 4, flags: 'write fast', keys: [1, 2, 1], categories: '@set', handler: smoveCommand },
  { name: 'sinter', arity: -2, flags: 'readonly', keys: [1, -1, 1], categories: '@set', handler: sinterCommand },
  { name: 'sintercard', arity: -3, flags: 'readonly movablekeys', keys: [0, 0, 0], categories: '@set', handler: sintercardCommand, getKeys: countedKeys(1, 2) },
  { name: 'sunion', arity: -2, flags: 'readonly', keys: [1, -1, 1], categories: '@set', handler: sunionCommand },
  { name: 'sdiff', arity: -2, flags: 'readonly', keys: [1, -1, 1], categories: '@set', handler: sdiffCommand },
  { name: 'sinterstore', arity: -3, flags: 'write denyoom', keys: [1, -1, 1], categories: '@set', handler: sinterstoreCommand },
  { name: 'sunionstore', arity: -3, flags: 'write denyoom', keys: [1, -1, 1], categories: '@set', handler: sunionstoreCommand },
  { name: 'sdiffstore', arity: -3, flags: 'write denyoom', keys: [1, -1, 1], categories: '@set', handler: sdiffstoreCommand },
  { name: 'sscan', arity: -3, flags: 'readonly', keys: [1, 1, 1], categories: '@set', handler: sscanCommand },
];
