/*
 * The blocking sorted-set pops, after Redis's t_zset.c: BZPOPMIN, BZPOPMAX and BZMPOP. When a
 * key holds elements they pop at once, as ZPOPMIN/ZPOPMAX/ZMPOP would; otherwise the client
 * waits (core/blocking.ts) until a write makes one of its keys a non-empty sorted set, first
 * come first served per key. A served pop propagates as the pop itself (ZPOPMIN/ZPOPMAX key
 * [count]), never as the blocking command. Inside EXEC or a script (`denyBlocking`) they answer
 * as if timed out: the null array.
 */
import { parseTimeout } from '../core/blocking.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { countedKeys } from '../core/movable-keys.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { ZSET, type ZSetValue } from '../engine/zset-value.js';
import { Err } from '../resp/errors.js';
import { parseMpopArgs, popFromKey, replyPopped } from './zset.js';

/**
 * Pops from `key` (which holds `z`), replies in `shape` and propagates the pop: the served or
 * immediate half of every blocking pop.
 */
function servePop(c: Client, key: string, z: ZSetValue, max: boolean, count: number, shape: 'keyed-flat' | 'keyed-nested'): void {
  const popped = popFromKey(c, key, z, max, count);
  replyPopped(c, key, popped, shape);
  if (shape === 'keyed-flat') c.rewrite(max ? 'ZPOPMAX' : 'ZPOPMIN', key);
  else c.rewrite(max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(popped.length));
}

/**
 * The shared body of BZPOPMIN, BZPOPMAX and BZMPOP: pops from the first of `keys` holding a
 * sorted set, else blocks on all of them until `timeoutArg` (seconds, 0 = forever).
 */
function blockingZpopGeneric(c: Client, keys: string[], max: boolean, timeoutArg: string, count: number, shape: 'keyed-flat' | 'keyed-nested'): void {
  const deadline = parseTimeout(timeoutArg, c.now);
  if (typeof deadline === 'string') return c.reply.error(deadline);
  for (const key of keys) {
    const z = c.db.writeOf(key, ZSET, c.now);
    if (z === undefined) continue;
    if (z === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
    return servePop(c, key, z, max, count, shape);
  }
  if (c.denyBlocking) return c.reply.nilArray();
  c.server.blocking.block(c, {
    keys,
    deadline,
    serve(c, key) {
      const z = c.db.writeOf(key, ZSET, c.now);
      if (z === undefined || z === WRONGTYPE) return false;
      servePop(c, key, z, max, count, shape);
      return true;
    },
  });
}

/* BZPOPMIN key [key ...] timeout */
function bzpopminCommand(c: Client, argv: string[]): void {
  blockingZpopGeneric(c, argv.slice(1, -1), false, argv[argv.length - 1]!, 1, 'keyed-flat');
}

/* BZPOPMAX key [key ...] timeout */
function bzpopmaxCommand(c: Client, argv: string[]): void {
  blockingZpopGeneric(c, argv.slice(1, -1), true, argv[argv.length - 1]!, 1, 'keyed-flat');
}

/* BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArgs(argv, 2);
  if (typeof args === 'string') return c.reply.error(args);
  blockingZpopGeneric(c, args.keys, args.max, argv[1]!, args.count, 'keyed-nested');
}

export const zsetBlockingCommands: CommandRow[] = [
  { name: 'bzpopmin', arity: -3, flags: 'write noscript blocking fast', keys: [1, -2, 1], categories: '@sortedset', handler: bzpopminCommand },
  { name: 'bzpopmax', arity: -3, flags: 'write noscript blocking fast', keys: [1, -2, 1], categories: '@sortedset', handler: bzpopmaxCommand },
  { name: 'bzmpop', arity: -5, flags: 'write blocking movablekeys', categories: '@sortedset', handler: bzmpopCommand, getKeys: countedKeys(2, 3) },
];
