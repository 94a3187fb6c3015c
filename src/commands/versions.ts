/*
 * Versioned reads and writes: KV.SETV, KV.GETV, KV.VERSION, KV.IFVERSION (docs/extensions.md).
 * A key's version (core/version-state.ts) changes with every modification of the key by any
 * command once it is tracked, so a client can do optimistic concurrency on a hash or a list —
 * read the version, compute, write only if it is unchanged — where Redis offers only WATCH.
 * A missing key has version 0.
 */
import { int64Text, parseInt64 } from '../engine/int64.js';
import { WRONGTYPE } from '../engine/keyspace.js';
import { encodeString, STRING, stringOf } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow, CommandSpec } from '../core/command-types.js';
import { execute } from '../core/dispatch.js';
import { versionStateOf } from '../core/version-state.js';
import { parseExpiryOptions } from './cas.js';

/** A version argument: a non-negative integer, or null. */
function parseVersion(arg: string): number | null {
  const v = parseInt64(arg);
  if (v === null || v < 0 || v > 9_007_199_254_740_991) return null;
  return Number(v);
}

/** The current version of `key` at `c.now`: 0 when missing, null when present but untracked. */
function currentVersion(c: Client, key: string): number | null {
  if (c.db.lookupWrite(key, c.now) === undefined) return 0;
  return versionStateOf(c.server).versionOf(c.db, key) ?? null;
}

/* KV.SETV key value [IFVERSION version] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL] */
function setvCommand(c: Client, argv: string[]): void {
  let expected: number | null = null;
  const rest: string[] = [];
  for (let i = 3; i < argv.length; i++) {
    if (argv[i]!.toLowerCase() === 'ifversion' && i + 1 < argv.length) {
      expected = parseVersion(argv[++i]!);
      if (expected === null) return c.reply.error(Err.VERSION_NOT_INTEGER);
    } else rest.push(argv[i]!);
  }
  const opts = parseExpiryOptions(rest, 0, c.now, 'kv.setv', false);
  if (typeof opts === 'string') return c.reply.error(opts);
  const key = argv[1]!;
  const value = argv[2]!;
  if (expected !== null && currentVersion(c, key) !== expected) return c.reply.nil();
  const db = c.db;
  db.set(key, encodeString(value), opts.keepTtl, 0, opts.at);
  c.notify('$', 'set', key);
  if (opts.at !== undefined) {
    c.notify('g', 'expire', key);
    c.rewrite('KV.SETV', key, value, 'PXAT', int64Text(opts.at));
  } else if (opts.keepTtl) c.rewrite('KV.SETV', key, value, 'KEEPTTL');
  else c.rewrite('KV.SETV', key, value);
  c.reply.int(versionStateOf(c.server).bump(db, key));
}

/* KV.GETV key */
function getvCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.readOf(key, STRING, c.now);
  if (v === undefined) return c.reply.nil();
  if (v === WRONGTYPE) return c.reply.error(Err.WRONGTYPE);
  const state = versionStateOf(c.server);
  const version = state.versionOf(c.db, key) ?? state.bump(c.db, key);
  c.reply.array(2);
  c.reply.bulk(stringOf(v));
  c.reply.int(version);
}

/* KV.VERSION key */
function versionCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (c.db.lookupRead(key, c.now, false) === undefined) return c.reply.int(0);
  const state = versionStateOf(c.server);
  c.reply.int(state.versionOf(c.db, key) ?? state.bump(c.db, key));
}

/** The row running `argv` (descending into a container's subcommands), or null. */
function rowOf(c: Client, argv: string[]): CommandSpec | null {
  const spec = c.server.commandTable.get(argv[0]!);
  if (spec === undefined) return null;
  if (spec.subcommands === undefined || argv.length === 1) return spec;
  return spec.subcommands.get(argv[1]!.toLowerCase()) ?? null;
}

/** Whether the command `argv` (of row `spec`) names `key` among its keys. */
function writesKey(spec: CommandSpec, argv: string[], key: string): boolean {
  if (spec.firstKey <= 0) return false;
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  for (let i = spec.firstKey; i <= last && i < argv.length; i += Math.max(1, spec.step)) {
    if (argv[i] === key) return true;
  }
  return false;
}

/* KV.IFVERSION key version command [arg ...] */
function ifversionCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const expected = parseVersion(argv[2]!);
  if (expected === null) return c.reply.error(Err.VERSION_NOT_INTEGER);
  const inner = argv.slice(3);
  const spec = rowOf(c, inner);
  if (spec === null) return c.reply.error(Err.UNKNOWN_COMMAND(inner[0]!.slice(0, 128), ''));
  if (spec.arity >= 0 ? inner.length !== spec.arity : inner.length < -spec.arity) return c.reply.error(Err.WRONG_ARITY(spec.name));
  if (!spec.isWrite || spec.name === 'kv.ifversion') return c.reply.error(Err.IFVERSION_NOT_WRITE);
  if (!writesKey(spec, inner, key)) return c.reply.error(Err.IFVERSION_KEY_NOT_USED);
  if (currentVersion(c, key) !== expected) return c.reply.nil();
  // the inner command emits its own effects; KV.IFVERSION itself propagates nothing
  const denied = c.denyBlocking;
  c.denyBlocking = true;
  try {
    execute(c, spec, inner, c.now);
  } finally {
    c.denyBlocking = denied;
  }
  c.rewrite();
  if (c.rewritten !== null) c.rewritten = [];
}

export const versionCommands: CommandRow[] = [
  { name: 'kv.setv', arity: -3, flags: 'write denyoom', keys: [1, 1, 1], categories: '@string', handler: setvCommand },
  { name: 'kv.getv', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@string', handler: getvCommand },
  { name: 'kv.version', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@keyspace', handler: versionCommand },
  { name: 'kv.ifversion', arity: -4, flags: 'write denyoom', keys: [1, 1, 1], categories: '@keyspace', handler: ifversionCommand },
];
