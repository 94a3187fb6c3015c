/*
 * Stream consumer groups, after Redis's t_stream.c: XGROUP (CREATE, SETID, DESTROY,
 * CREATECONSUMER, DELCONSUMER, HELP), XREADGROUP (and its blocking form), XACK, XPENDING,
 * XCLAIM and XAUTOCLAIM.
 *
 * Propagation, as Redis: what XREADGROUP, XCLAIM and XAUTOCLAIM did to a group's pending list is
 * propagated as one `XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID id`
 * per entry (an entry deleted meanwhile: the same XCLAIM, which drops it on replay), and a moved
 * last-delivered id as `XGROUP SETID key group id ENTRIESREAD n`; never as the command itself.
 * History reads of XREADGROUP (which bump delivery counts) propagate the same way here, and a
 * consumer these commands create as `XGROUP CREATECONSUMER`, so that a replay reproduces the
 * groups exactly.
 */
import { parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import {
  ConsumerGroup, formatId, incrId, INVALID_ENTRIES_READ, MAX_ID, Nack, STREAM, StreamValue, U64_MAX,
  type Consumer, type StreamId,
} from '../engine/stream-value.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { replyHelp } from './admin.js';
import {
  BLOCK_DEFAULT_COUNT, streamMetaChanged, parseIdGeneric, parseLongLong, parseReadArgs, parseStrictId, replyEntry, replyKeyed, type ReadArgs,
} from './stream.js';

/** Propagates the state of the pending entry `id` (Redis's streamPropagateXCLAIM). */
function propagateClaim(c: Client, key: string, g: ConsumerGroup, id: StreamId, nack: Nack): void {
  c.rewrite('XCLAIM', key, g.name, nack.consumer.name, '0', formatId(id), 'TIME', String(nack.deliveryTime),
    'RETRYCOUNT', String(nack.deliveryCount), 'FORCE', 'JUSTID', 'LASTID', formatId(g.lastId));
}

/** Propagates a group's last id and entries-read (Redis's streamPropagateGroupID). */
function propagateGroupId(c: Client, key: string, g: ConsumerGroup): void {
  c.rewrite('XGROUP', 'SETID', key, g.name, formatId(g.lastId), 'ENTRIESREAD', String(g.entriesRead));
}

/** The consumer `name` of `g`, created (with its notification) when missing, seen now. */
function lookupConsumer(c: Client, key: string, s: StreamValue, g: ConsumerGroup, name: string): Consumer {
  const [cons, created] = g.consumer(name, c.now);
  if (created) {
    streamMetaChanged(c, key, s);
    c.notify('t', 'xgroup-createconsumer', key);
    c.rewrite('XGROUP', 'CREATECONSUMER', key, g.name, name);
  }
  cons.seenTime = c.now;
  return cons;
}

/* ---- XGROUP ---- */

/** The shared body of the XGROUP subcommands (Redis's xgroupCommand). */
function xgroupGeneric(c: Client, argv: string[]): void {
  const sub = argv[1]!.toLowerCase();
  const argc = argv.length;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (sub === 'create' && argc >= 5) {
    for (let i = 5; i < argc; ) {
      const o = argv[i]!.toLowerCase();
      if (o === 'mkstream') {
        mkstream = true;
        i++;
      } else if (o === 'entriesread' && i + 1 < argc) {
        const n = parseLongLong(argv[i + 1]!);
        if (n === null) return c.reply.error(Err.NOT_INTEGER);
        if (n < 0 && n !== INVALID_ENTRIES_READ) return c.reply.error(Err.XGROUP_ENTRIESREAD);
        entriesRead = n;
        i += 2;
      } else {
        return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'XGROUP'));
      }
    }
  }
  const key = argv[2]!;
  const found = c.db.writeOf(key, STREAM, c.now);
  if (found === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  let s = found;
  const groupName = argv[3]!;
  let g: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === undefined) return c.reply.error(Err.XGROUP_NO_KEY);
    g = s.groups.get(groupName);
    if (g === undefined && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      return c.reply.error(Err.XGROUP_NOGROUP(groupName, key));
    }
  }
  if (sub === 'create' && argc <= 8) {
    let id: StreamId;
    if (argv[4] === '$') id = s === undefined ? 0n : s.lastId;
    else {
      const parsed = parseStrictId(argv[4]!);
      if (parsed === null) return c.reply.error(Err.STREAM_INVALID_ID);
      id = parsed;
    }
    if (s === undefined) {
      s = new StreamValue();
      c.db.set(key, s);
      s.resized();
    }
    if (s.groups.has(groupName)) return c.reply.error(Err.BUSYGROUP);
    s.groups.set(groupName, new ConsumerGroup(groupName, id, entriesRead));
    streamMetaChanged(c, key, s);
    c.notify('t', 'xgroup-create', key);
    return c.reply.ok();
  }
  if (sub === 'setid' && (argc === 5 || argc === 7)) {
    let id: StreamId;
    if (argv[4] === '$') id = s!.lastId;
    else {
      const parsed = parseIdGeneric(argv[4]!, 0n, false);
      if (parsed === null) return c.reply.error(Err.STREAM_INVALID_ID);
      id = parsed.id;
    }
    if (argc === 7) {
      if (argv[5]!.toLowerCase() !== 'entriesread') return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'XGROUP'));
      const n = parseLongLong(argv[6]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (n < 0 && n !== INVALID_ENTRIES_READ) return c.reply.error(Err.XGROUP_ENTRIESREAD);
      entriesRead = n;
    }
    g!.lastId = id;
    g!.entriesRead = entriesRead;
    streamMetaChanged(c, key, s!);
    c.notify('t', 'xgroup-setid', key);
    return c.reply.ok();
  }
  if (sub === 'destroy' && argc === 4) {
    if (g === undefined) return c.reply.int(0);
    s!.groups.delete(groupName);
    streamMetaChanged(c, key, s!);
    // XREADGROUP waiters on the group answer NOGROUP
    c.server.blocking.keyReady(c.db, key);
    c.notify('t', 'xgroup-destroy', key);
    return c.reply.int(1);
  }
  if (sub === 'createconsumer' && argc === 5) {
    const [, created] = g!.consumer(argv[4]!, c.now);
    if (created) {
      streamMetaChanged(c, key, s!);
      c.notify('t', 'xgroup-createconsumer', key);
    }
    return c.reply.int(created ? 1 : 0);
  }
  if (sub === 'delconsumer' && argc === 5) {
    const pending = g!.deleteConsumer(argv[4]!);
    if (pending >= 0) {
      streamMetaChanged(c, key, s!);
      c.notify('t', 'xgroup-delconsumer', key);
    }
    return c.reply.int(pending < 0 ? 0 : pending);
  }
  c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'XGROUP'));
}

/* XGROUP HELP */
function xgroupHelpCommand(c: Client): void {
  replyHelp(c, 'XGROUP', [
    'CREATE <key> <groupname> <id|$> [option]',
    '    Create a new consumer group. Options are:',
    '    * MKSTREAM',
    '      Create the empty stream if it does not exist.',
    '    * ENTRIESREAD entries_read',
    '      Set the group\'s entries_read counter (internal use).',
    'CREATECONSUMER <key> <groupname> <consumer>',
    '    Create a new consumer in the specified group.',
    'DELCONSUMER <key> <groupname> <consumer>',
    '    Remove the specified consumer.',
    'DESTROY <key> <groupname>',
    '    Remove the specified group.',
    'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
    '    Set the current group ID and entries_read counter.',
  ]);
}

/* ---- XREADGROUP ---- */

/**
 * Delivers up to `count` new entries of `s` after the group's last id to `cons` (Redis's
 * streamReplyWithRange with a group): replies them, moves the group's last id and
 * entries-read, adds them to the pending lists unless `noack`, and propagates it all.
 */
function deliverNew(c: Client, key: string, s: StreamValue, g: ConsumerGroup, cons: Consumer, count: number, noack: boolean): void {
  const after = incrId(g.lastId);
  const entries = after === null ? [] : s.range(after, MAX_ID, false, count);
  c.reply.array(entries.length);
  let moved = false;
  for (const [id, fields] of entries) {
    if (id > g.lastId) {
      if (g.entriesRead !== INVALID_ENTRIES_READ && !s.rangeHasTombstones(id)) g.entriesRead++;
      else if (s.entriesAdded !== 0) g.entriesRead = s.estimateEntriesRead(id);
      g.lastId = id;
      moved = true;
    }
    replyEntry(c, id, fields);
    if (noack) continue;
    let nack = g.pel.get(id);
    if (nack === undefined) {
      nack = new Nack(cons, c.now, 1);
      g.pel.set(id, nack);
    } else {
      nack.consumer.pel.delete(id);
      nack.consumer = cons;
      nack.deliveryTime = c.now;
      nack.deliveryCount = 1;
    }
    cons.pel.set(id, nack);
    propagateClaim(c, key, g, id, nack);
  }
  if (moved) propagateGroupId(c, key, g);
}

/** Replies `cons`'s pending entries from `start` (XREADGROUP with an id: its history). */
function deliverHistory(c: Client, key: string, s: StreamValue, g: ConsumerGroup, cons: Consumer, start: StreamId, count: number): void {
  const ids = cons.pel.ids;
  let i = cons.pel.lowerBound(start);
  const end = count === 0 ? ids.length : Math.min(ids.length, i + count);
  c.reply.array(end - i);
  const served = ids.slice(i, end);
  for (const id of served) {
    const fields = s.get(id);
    replyEntry(c, id, fields);
    if (fields === undefined) continue;
    const nack = cons.pel.get(id)!;
    nack.deliveryTime = c.now;
    nack.deliveryCount++;
    propagateClaim(c, key, g, id, nack);
  }
  i = end;
}

/** XREADGROUP's body (the row is in stream.ts with XREAD's). */
export function streamReadGroupGeneric(c: Client, argv: string[]): void {
  const a = parseReadArgs(c, argv, true);
  if (typeof a === 'string') return c.reply.error(a);
  const groupName = a.group!;
  const consumerName = a.consumer!;
  // the ids after which to read (null: `>`), and each stream's group
  const ids: Array<StreamId | null> = [];
  const groups: ConsumerGroup[] = [];
  for (let i = 0; i < a.keys.length; i++) {
    const key = a.keys[i]!;
    const s = c.db.lookupRead(key, c.now);
    if (s !== undefined && !(s instanceof StreamValue)) return c.reply.error(Err.WRONGTYPE);
    const g = s === undefined ? undefined : s.groups.get(groupName);
    if (g === undefined) return c.reply.error(Err.XREADGROUP_NOGROUP(key, groupName));
    groups.push(g);
    const arg = a.idArgs[i]!;
    if (arg === '$') return c.reply.error(Err.STREAM_DOLLAR_GROUP);
    if (arg === '>') {
      ids.push(null);
      continue;
    }
    const id = parseStrictId(arg);
    if (id === null) return c.reply.error(Err.STREAM_INVALID_ID);
    // the history after the id (none after the last possible one)
    ids.push(incrId(id) ?? MAX_ID);
  }
  c.rewrite();
  const served: Array<[string, () => void]> = [];
  for (let i = 0; i < a.keys.length; i++) {
    const key = a.keys[i]!;
    const s = c.db.lookupRead(key, c.now) as StreamValue;
    const g = groups[i]!;
    const start = ids[i]!;
    let now = false;
    if (start !== null) now = true;
    else if (s.length !== 0 && s.edgeId(true)! > g.lastId) now = true;
    if (!now) continue;
    // the consumer is created (or seen) only where the read is served now
    const cons = lookupConsumer(c, key, s, g, consumerName);
    served.push([key, start !== null ? () => deliverHistory(c, key, s, g, cons, start, a.count) : () => deliverNew(c, key, s, g, cons, a.count, a.noack)]);
  }
  if (served.length !== 0) {
    replyKeyed(c, served);
    for (const [key] of served) streamMetaChanged(c, key, c.db.lookupWrite(key, c.now) as StreamValue);
    return;
  }
  if (a.block < 0 || c.denyBlocking) return c.reply.nilArray();
  blockReadGroup(c, a);
}

/** Blocks XREADGROUP … `>` until one of its streams has new entries for the group. */
function blockReadGroup(c: Client, a: ReadArgs): void {
  const count = a.count === 0 ? BLOCK_DEFAULT_COUNT : a.count;
  const groupName = a.group!;
  c.server.blocking.block(c, {
    keys: a.keys,
    deadline: a.block,
    serve(c, key) {
      const s = c.db.lookupWrite(key, c.now);
      // deleted, or replaced by another type
      if (!(s instanceof StreamValue)) {
        c.reply.error(Err.STREAM_BLOCKED_KEY_DELETED);
        return true;
      }
      const g = s.groups.get(groupName);
      if (g === undefined) {
        c.reply.error(Err.STREAM_BLOCKED_NOGROUP);
        return true;
      }
      if (s.length === 0 || s.edgeId(true)! <= g.lastId) return false;
      c.rewrite();
      const cons = lookupConsumer(c, key, s, g, a.consumer!);
      replyKeyed(c, [[key, () => deliverNew(c, key, s, g, cons, count, a.noack)]]);
      streamMetaChanged(c, key, s);
      return true;
    },
  });
}

/* ---- XACK ---- */

/* XACK key group id [id ...] */
function xackCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const s = c.db.writeOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const g = s === undefined ? undefined : s.groups.get(argv[2]!);
  if (g === undefined) return c.reply.int(0);
  const ids: StreamId[] = [];
  for (let i = 3; i < argv.length; i++) {
    const id = parseStrictId(argv[i]!);
    if (id === null) return c.reply.error(Err.STREAM_INVALID_ID);
    ids.push(id);
  }
  let acked = 0;
  for (const id of ids) {
    const nack = g.pel.get(id);
    if (nack === undefined) continue;
    g.pel.delete(id);
    nack.consumer.pel.delete(id);
    acked++;
  }
  if (acked > 0) streamMetaChanged(c, key, s!);
  c.reply.int(acked);
}

/* ---- XPENDING ---- */

/** A range bound as XPENDING, XAUTOCLAIM read it: the id (exclusive made inclusive) or an error. */
function parseRangeBound(s: string, end: boolean): StreamId | string {
  if (s.length > 1 && s[0] === '(') {
    const id = parseStrictId(s.slice(1), end ? U64_MAX : 0n);
    if (id === null) return Err.STREAM_INVALID_ID;
    if (end) return id === 0n ? Err.STREAM_INVALID_END : id - 1n;
    return id === MAX_ID ? Err.STREAM_INVALID_START : id + 1n;
  }
  const p = parseIdGeneric(s, end ? U64_MAX : 0n, false);
  return p === null ? Err.STREAM_INVALID_ID : p.id;
}

/* XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpendingCommand(c: Client, argv: string[]): void {
  const argc = argv.length;
  if (argc !== 3 && (argc < 6 || argc > 9)) return c.reply.error(Err.SYNTAX);
  let minIdle = 0;
  let start: StreamId = 0n;
  let end: StreamId = MAX_ID;
  let count = 0;
  let consumerName: string | null = null;
  if (argc >= 6) {
    let at = 3;
    if (argv[3]!.toLowerCase() === 'idle') {
      const n = parseLongLong(argv[4]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      if (argc < 8) return c.reply.error(Err.SYNTAX);
      minIdle = n;
      at += 2;
    }
    const n = parseLongLong(argv[at + 2]!);
    if (n === null) return c.reply.error(Err.NOT_INTEGER);
    count = n < 0 ? 0 : n;
    const st = parseRangeBound(argv[at]!, false);
    if (typeof st === 'string') return c.reply.error(st);
    const en = parseRangeBound(argv[at + 1]!, true);
    if (typeof en === 'string') return c.reply.error(en);
    start = st;
    end = en;
    if (at + 3 < argc) consumerName = argv[at + 3]!;
  }
  const key = argv[1]!;
  const s = c.db.readOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const g = s === undefined ? undefined : s.groups.get(argv[2]!);
  if (g === undefined) return c.reply.error(Err.STREAM_NOGROUP(key, argv[2]!));
  if (argc === 3) {
    c.reply.array(4);
    c.reply.int(g.pel.size);
    if (g.pel.size === 0) {
      c.reply.nil();
      c.reply.nil();
      c.reply.nilArray();
      return;
    }
    c.reply.bulk(formatId(g.pel.first()!));
    c.reply.bulk(formatId(g.pel.last()!));
    const busy = g.sortedConsumers().filter((x) => x.pel.size !== 0);
    c.reply.array(busy.length);
    for (const x of busy) {
      c.reply.array(2);
      c.reply.bulk(x.name);
      c.reply.bulk(String(x.pel.size));
    }
    return;
  }
  let pel = g.pel;
  if (consumerName !== null) {
    const cons = g.consumers.get(consumerName);
    if (cons === undefined) return c.reply.array(0);
    pel = cons.pel;
  }
  const rows: Array<[StreamId, Nack]> = [];
  for (let i = pel.lowerBound(start); count > 0 && i < pel.ids.length; i++) {
    const id = pel.ids[i]!;
    if (id > end) break;
    const nack = pel.get(id)!;
    if (minIdle !== 0 && c.now - nack.deliveryTime < minIdle) continue;
    rows.push([id, nack]);
    count--;
  }
  c.reply.array(rows.length);
  for (const [id, nack] of rows) {
    c.reply.array(4);
    c.reply.bulk(formatId(id));
    c.reply.bulk(nack.consumer.name);
    c.reply.int(Math.max(0, c.now - nack.deliveryTime));
    c.reply.int(nack.deliveryCount);
  }
}

/* ---- XCLAIM, XAUTOCLAIM ---- */

/** The stream and group of a claim, or an error text (WRONGTYPE, NOGROUP). */
function claimTarget(c: Client, argv: string[]): [StreamValue | undefined, ConsumerGroup | undefined] | string {
  const s = c.db.writeOf(argv[1]!, STREAM, c.now);
  if (s === WRONGTYPE) return Err.WRONGTYPE;
  return [s, s === undefined ? undefined : s.groups.get(argv[2]!)];
}

/** Moves the pending entry `id` to `cons`. */
function reassign(g: ConsumerGroup, id: StreamId, nack: Nack, cons: Consumer): void {
  if (nack.consumer !== cons) {
    nack.consumer.pel.delete(id);
    nack.consumer = cons;
    cons.pel.set(id, nack);
  }
  void g;
}

/* XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds]
 *        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid] */
function xclaimCommand(c: Client, argv: string[]): void {
  const t = claimTarget(c, argv);
  if (typeof t === 'string') return c.reply.error(t);
  const [s, g] = t;
  const key = argv[1]!;
  if (s === undefined || g === undefined) return c.reply.error(Err.STREAM_NOGROUP(key, argv[2]!));
  let minIdle = parseLongLong(argv[4]!);
  if (minIdle === null) return c.reply.error(Err.XCLAIM_MIN_IDLE('XCLAIM'));
  if (minIdle < 0) minIdle = 0;
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const id = parseStrictId(argv[j]!);
    if (id === null) break;
    ids.push(id);
  }
  const now = c.now;
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId: StreamId = 0n;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!.toLowerCase();
    if (opt === 'force') force = true;
    else if (opt === 'justid') justId = true;
    else if (opt === 'idle' && more > 0) {
      const n = parseLongLong(argv[++j]!);
      if (n === null) return c.reply.error(Err.XCLAIM_OPTION_ARG('IDLE'));
      deliveryTime = now - n;
    } else if (opt === 'time' && more > 0) {
      const n = parseLongLong(argv[++j]!);
      if (n === null) return c.reply.error(Err.XCLAIM_OPTION_ARG('TIME'));
      deliveryTime = n;
    } else if (opt === 'retrycount' && more > 0) {
      const n = parseLongLong(argv[++j]!);
      if (n === null) return c.reply.error(Err.XCLAIM_OPTION_ARG('RETRYCOUNT'));
      retryCount = n;
    } else if (opt === 'lastid' && more > 0) {
      const id = parseStrictId(argv[++j]!);
      if (id === null) return c.reply.error(Err.STREAM_INVALID_ID);
      lastId = id;
    } else {
      return c.reply.error(Err.XCLAIM_UNKNOWN_OPTION(argv[j]!));
    }
  }
  c.rewrite();
  let changed = false;
  let propagateLastId = false;
  if (lastId > g.lastId) {
    g.lastId = lastId;
    propagateLastId = true;
    changed = true;
  }
  if (deliveryTime !== -1) {
    if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
  } else deliveryTime = now;
  const claimed: Array<[StreamId, string[]]> = [];
  let cons: Consumer | null = null;
  for (const id of ids) {
    let nack = g.pel.get(id);
    const fields = s.get(id);
    if (fields === undefined) {
      if (nack !== undefined) {
        propagateClaim(c, key, g, id, nack);
        propagateLastId = false;
        g.pel.delete(id);
        nack.consumer.pel.delete(id);
        changed = true;
      }
      continue;
    }
    let fresh = false;
    if (force && nack === undefined) fresh = true;
    if (nack === undefined && !fresh) continue;
    if (!fresh && minIdle !== 0 && now - nack!.deliveryTime < minIdle) continue;
    if (cons === null) cons = lookupConsumer(c, key, s, g, argv[3]!);
    if (fresh) {
      nack = new Nack(cons, deliveryTime, 1);
      g.pel.set(id, nack);
      cons.pel.set(id, nack);
    } else reassign(g, id, nack!, cons);
    nack!.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack!.deliveryCount = retryCount;
    else if (!justId) nack!.deliveryCount++;
    claimed.push([id, fields]);
    propagateClaim(c, key, g, id, nack!);
    propagateLastId = false;
    changed = true;
  }
  if (propagateLastId) propagateGroupId(c, key, g);
  if (changed) streamMetaChanged(c, key, s);
  c.reply.array(claimed.length);
  for (const [id, fields] of claimed) {
    if (justId) c.reply.bulk(formatId(id));
    else replyEntry(c, id, fields);
  }
}

/* XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaimCommand(c: Client, argv: string[]): void {
  const t = claimTarget(c, argv);
  if (typeof t === 'string') return c.reply.error(t);
  const [s, g] = t;
  const key = argv[1]!;
  let minIdle = parseLongLong(argv[4]!);
  if (minIdle === null) return c.reply.error(Err.XCLAIM_MIN_IDLE('XAUTOCLAIM'));
  if (minIdle < 0) minIdle = 0;
  const start = parseRangeBound(argv[5]!, false);
  if (typeof start === 'string') return c.reply.error(start);
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!.toLowerCase();
    if (opt === 'count' && more > 0) {
      const n = parseInt64(argv[j + 1]!);
      // LONG_MAX / 16 (the larger of an id's size and the attempts factor, 10)
      if (n === null || n < 1 || BigInt(n) > 576460752303423487n) return c.reply.error(Err.XAUTOCLAIM_COUNT);
      count = Number(n);
      j++;
    } else if (opt === 'justid') justId = true;
    else return c.reply.error(Err.SYNTAX);
  }
  if (s === undefined || g === undefined) return c.reply.error(Err.STREAM_NOGROUP(key, argv[2]!));
  c.rewrite();
  const now = c.now;
  let attempts = count * 10;
  const claimed: Array<[StreamId, string[]]> = [];
  const deleted: StreamId[] = [];
  let cons: Consumer | null = null;
  const pending = g.pel.ids.slice(g.pel.lowerBound(start));
  let p = 0;
  for (; attempts > 0 && count > 0 && p < pending.length; p++) {
    attempts--;
    const id = pending[p]!;
    const nack = g.pel.get(id)!;
    const fields = s.get(id);
    if (fields === undefined) {
      propagateClaim(c, key, g, id, nack);
      g.pel.delete(id);
      nack.consumer.pel.delete(id);
      deleted.push(id);
      count--;
      continue;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    if (cons === null) cons = lookupConsumer(c, key, s, g, argv[3]!);
    reassign(g, id, nack, cons);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    claimed.push([id, fields]);
    count--;
    propagateClaim(c, key, g, id, nack);
  }
  if (claimed.length !== 0 || deleted.length !== 0) streamMetaChanged(c, key, s);
  c.reply.array(3);
  c.reply.bulk(p < pending.length ? formatId(pending[p]!) : '0-0');
  c.reply.array(claimed.length);
  for (const [id, fields] of claimed) {
    if (justId) c.reply.bulk(formatId(id));
    else replyEntry(c, id, fields);
  }
  c.reply.array(deleted.length);
  for (const id of deleted) c.reply.bulk(formatId(id));
}

export const streamGroupCommands: CommandRow[] = [
  {
    name: 'xgroup', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'create', arity: -5, flags: 'write denyoom', keys: [2, 2, 1], categories: '@stream', handler: xgroupGeneric },
      { name: 'createconsumer', arity: 5, flags: 'write denyoom', keys: [2, 2, 1], categories: '@stream', handler: xgroupGeneric },
      { name: 'delconsumer', arity: 5, flags: 'write', keys: [2, 2, 1], categories: '@stream', handler: xgroupGeneric },
      { name: 'destroy', arity: 4, flags: 'write', keys: [2, 2, 1], categories: '@stream', handler: xgroupGeneric },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@stream', handler: xgroupHelpCommand },
      { name: 'setid', arity: -5, flags: 'write', keys: [2, 2, 1], categories: '@stream', handler: xgroupGeneric },
    ],
  },
  { name: 'xack', arity: -4, flags: 'write fast', keys: [1, 1, 1], categories: '@stream', handler: xackCommand },
  { name: 'xpending', arity: -3, flags: 'readonly', keys: [1, 1, 1], categories: '@stream', handler: xpendingCommand },
  { name: 'xclaim', arity: -6, flags: 'write fast', keys: [1, 1, 1], categories: '@stream', handler: xclaimCommand },
  { name: 'xautoclaim', arity: -6, flags: 'write fast', keys: [1, 1, 1], categories: '@stream', handler: xautoclaimCommand },
];
