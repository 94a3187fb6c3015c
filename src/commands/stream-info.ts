/*
 * XINFO (STREAM [FULL [COUNT n]], GROUPS, CONSUMERS, HELP), after Redis 7.0's t_stream.c, with
 * its 7.0 fields (entries-added, max-deleted-entry-id, recorded-first-entry-id, entries-read,
 * lag). `radix-tree-nodes` is the node count of the radix tree Redis would build over the
 * nodes' 16-byte master ids (a compressed trie: computed, not kept).
 */
import { WRONGTYPE } from '../engine/keyspace.js';
import { formatId, INVALID_ENTRIES_READ, MAX_ID, STREAM, type StreamId, type StreamValue } from '../engine/stream-value.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { replyHelp } from './admin.js';
import { parseLongLong, replyEntry } from './stream.js';

/** The byte `d` (0-15) of `id` as a 16-byte big-endian key. */
function keyByte(id: StreamId, d: number): number {
  return Number((id >> BigInt(8 * (15 - d))) & 0xffn);
}

/** Nodes of a compressed radix tree over the keys ids[lo..hi) from depth `d` (all share d bytes). */
function raxNodesAt(ids: StreamId[], lo: number, hi: number, d: number): number {
  if (d === 16) return 1;
  const same = (e: number) => keyByte(ids[lo]!, e) === keyByte(ids[hi - 1]!, e);
  if (same(d)) {
    let e = d;
    while (e < 16 && same(e)) e++;
    return 1 + raxBranch(ids, lo, hi, e);
  }
  return raxBranch(ids, lo, hi, d);
}

/** A branching node at depth `d` (or the leaf at 16) and what hangs from it. */
function raxBranch(ids: StreamId[], lo: number, hi: number, d: number): number {
  if (d === 16) return 1;
  let n = 1;
  let start = lo;
  for (let i = lo + 1; i <= hi; i++) {
    if (i === hi || keyByte(ids[i]!, d) !== keyByte(ids[start]!, d)) {
      n += raxNodesAt(ids, start, i, d + 1);
      start = i;
    }
  }
  return n;
}

/** radix-tree-nodes of `s`. */
export function raxNodeCount(s: StreamValue): number {
  const ids = s.nodes.map((n) => n.master);
  if (ids.length === 0) return 1;
  return raxNodesAt(ids, 0, ids.length, 0);
}

function replyId(c: Client, id: StreamId): void {
  c.reply.bulk(formatId(id));
}

/* XINFO STREAM key [FULL [COUNT count]] */
function xinfoStreamCommand(c: Client, argv: string[]): void {
  const key = argv[2]!;
  let full = false;
  let count = 10;
  if (argv.length > 3) {
    if (argv[3]!.toLowerCase() !== 'full' || (argv.length !== 4 && argv.length !== 6)) {
      return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'XINFO'));
    }
    full = true;
    if (argv.length === 6) {
      if (argv[4]!.toLowerCase() !== 'count') return c.reply.error(Err.SUBCOMMAND_SYNTAX(argv[1]!, 'XINFO'));
      const n = parseLongLong(argv[5]!);
      if (n === null) return c.reply.error(Err.NOT_INTEGER);
      count = n < 0 ? 10 : n;
    }
  }
  const s = c.db.readOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  c.reply.map(full ? 9 : 10);
  c.reply.bulk('length');
  c.reply.int(s.length);
  c.reply.bulk('radix-tree-keys');
  c.reply.int(s.nodeCount);
  c.reply.bulk('radix-tree-nodes');
  c.reply.int(raxNodeCount(s));
  c.reply.bulk('last-generated-id');
  replyId(c, s.lastId);
  c.reply.bulk('max-deleted-entry-id');
  replyId(c, s.maxDeletedId);
  c.reply.bulk('entries-added');
  c.reply.int(s.entriesAdded);
  c.reply.bulk('recorded-first-entry-id');
  replyId(c, s.firstId);
  if (!full) {
    c.reply.bulk('groups');
    c.reply.int(s.groups.size);
    for (const last of [false, true]) {
      c.reply.bulk(last ? 'last-entry' : 'first-entry');
      const e = s.range(0n, MAX_ID, last, 1)[0];
      if (e === undefined) c.reply.nil();
      else replyEntry(c, e[0], e[1]);
    }
    return;
  }
  c.reply.bulk('entries');
  const entries = s.range(0n, MAX_ID, false, count);
  c.reply.array(entries.length);
  for (const [id, fields] of entries) replyEntry(c, id, fields);
  c.reply.bulk('groups');
  const groups = s.sortedGroups();
  c.reply.array(groups.length);
  for (const g of groups) {
    c.reply.map(7);
    c.reply.bulk('name');
    c.reply.bulk(g.name);
    c.reply.bulk('last-delivered-id');
    replyId(c, g.lastId);
    c.reply.bulk('entries-read');
    if (g.entriesRead !== INVALID_ENTRIES_READ) c.reply.int(g.entriesRead);
    else c.reply.nil();
    c.reply.bulk('lag');
    replyLag(c, s, g);
    c.reply.bulk('pel-count');
    c.reply.int(g.pel.size);
    c.reply.bulk('pending');
    const pel = count === 0 ? g.pel.ids : g.pel.ids.slice(0, count);
    c.reply.array(pel.length);
    for (const id of pel) {
      const nack = g.pel.get(id)!;
      c.reply.array(4);
      replyId(c, id);
      c.reply.bulk(nack.consumer.name);
      c.reply.int(nack.deliveryTime);
      c.reply.int(nack.deliveryCount);
    }
    c.reply.bulk('consumers');
    const consumers = g.sortedConsumers();
    c.reply.array(consumers.length);
    for (const cons of consumers) {
      c.reply.map(4);
      c.reply.bulk('name');
      c.reply.bulk(cons.name);
      c.reply.bulk('seen-time');
      c.reply.int(cons.seenTime);
      c.reply.bulk('pel-count');
      c.reply.int(cons.pel.size);
      c.reply.bulk('pending');
      const own = count === 0 ? cons.pel.ids : cons.pel.ids.slice(0, count);
      c.reply.array(own.length);
      for (const id of own) {
        const nack = cons.pel.get(id)!;
        c.reply.array(3);
        replyId(c, id);
        c.reply.int(nack.deliveryTime);
        c.reply.int(nack.deliveryCount);
      }
    }
  }
}

function replyLag(c: Client, s: StreamValue, g: Parameters<StreamValue['lagOf']>[0]): void {
  const lag = s.lagOf(g);
  if (lag === null) c.reply.nil();
  else c.reply.int(lag);
}

/* XINFO GROUPS key */
function xinfoGroupsCommand(c: Client, argv: string[]): void {
  const s = c.db.readOf(argv[2]!, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  const groups = s.sortedGroups();
  c.reply.array(groups.length);
  for (const g of groups) {
    c.reply.map(6);
    c.reply.bulk('name');
    c.reply.bulk(g.name);
    c.reply.bulk('consumers');
    c.reply.int(g.consumers.size);
    c.reply.bulk('pending');
    c.reply.int(g.pel.size);
    c.reply.bulk('last-delivered-id');
    replyId(c, g.lastId);
    c.reply.bulk('entries-read');
    if (g.entriesRead !== INVALID_ENTRIES_READ) c.reply.int(g.entriesRead);
    else c.reply.nil();
    c.reply.bulk('lag');
    replyLag(c, s, g);
  }
}

/* XINFO CONSUMERS key group */
function xinfoConsumersCommand(c: Client, argv: string[]): void {
  const key = argv[2]!;
  const s = c.db.readOf(key, STREAM, c.now);
  if (s === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  if (s === undefined) return c.reply.error(Err.NO_SUCH_KEY);
  const g = s.groups.get(argv[3]!);
  if (g === undefined) return c.reply.error(Err.XGROUP_NOGROUP(argv[3]!, key));
  const consumers = g.sortedConsumers();
  c.reply.array(consumers.length);
  for (const cons of consumers) {
    c.reply.map(3);
    c.reply.bulk('name');
    c.reply.bulk(cons.name);
    c.reply.bulk('pending');
    c.reply.int(cons.pel.size);
    c.reply.bulk('idle');
    c.reply.int(Math.max(0, c.now - cons.seenTime));
  }
}

/* XINFO HELP */
function xinfoHelpCommand(c: Client): void {
  replyHelp(c, 'XINFO', [
    'CONSUMERS <key> <groupname>',
    '    Show consumers of <groupname>.',
    'GROUPS <key>',
    '    Show the stream consumer groups.',
    'STREAM <key> [FULL [COUNT <count>]',
    '    Show information about the stream.',
  ]);
}

export const streamInfoCommands: CommandRow[] = [
  {
    name: 'xinfo', arity: -2, flags: '', categories: '',
    subcommands: [
      { name: 'consumers', arity: 4, flags: 'readonly', keys: [2, 2, 1], categories: '@stream', handler: xinfoConsumersCommand },
      { name: 'groups', arity: 3, flags: 'readonly', keys: [2, 2, 1], categories: '@stream', handler: xinfoGroupsCommand },
      { name: 'help', arity: 2, flags: 'loading stale', categories: '@stream', handler: xinfoHelpCommand },
      { name: 'stream', arity: -3, flags: 'readonly', keys: [2, 2, 1], categories: '@stream', handler: xinfoStreamCommand },
    ],
  },
];
