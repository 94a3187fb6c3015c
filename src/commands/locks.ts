/*
 * Locks with fencing tokens: KV.LOCK, KV.UNLOCK, KV.RENEW, KV.LOCKINFO (docs/extensions.md).
 *
 * A lock is an ordinary string key whose value is its owner, with a PX TTL: TYPE, TTL, SCAN and
 * GET see it, it expires on its own, and the recipes other libraries use (`SET k owner NX PX`,
 * a Lua or DELIFEQ release, redis-py's Lock) work on the same keys. What the key cannot hold is
 * the fencing token of the acquisition: it lives beside the keyspace (lock-state.ts), and any
 * write to the key by another command, its deletion or its expiry forgets it.
 *
 * Waiting (KV.LOCK … WAIT ms) parks the client with core/blocking.ts: first come first served
 * between waiters, woken by the write that frees the key (UNLOCK, DEL, another client's
 * DELIFEQ…) — and, because expiry is lazy or sampled, by a timer armed at the holder's expiry
 * time, which expires the key on time and serves the waiters. A free key with waiters queued is
 * not taken by a newcomer: it queues behind them (or gets nil without WAIT).
 */
import { int64Text, parseInt64 } from '../engine/int64.js';
import type { Database } from '../engine/keyspace.js';
import { encodeString, isString, stringOf, type Value } from '../engine/values.js';
import { Err } from '../resp/errors.js';
import type { Client } from '../core/client.js';
import type { CommandRow } from '../core/command-types.js';
import { lockStateOf, type LockState } from '../core/lock-state.js';

/** A positive integer of milliseconds, or null. */
function parsePositiveMs(arg: string): number | null {
  const v = parseInt64(arg);
  if (v === null || v <= 0 || v > 9_007_199_254_740_991) return null;
  return Number(v);
}

/**
 * Takes the free `key` for `owner` for `ttl` ms at `c.now`: stores it, issues a fencing token,
 * notifies and propagates the write (`SET key owner PXAT at`). Returns the token.
 */
function acquire(c: Client, state: LockState, key: string, owner: string, ttl: number): number {
  const db = c.db;
  const at = c.now + ttl;
  state.writing = true;
  try {
    db.set(key, encodeString(owner), false, 0, at);
  } finally {
    state.writing = false;
  }
  const token = state.issue(db, key, c.now);
  c.notify('$', 'set', key);
  c.notify('g', 'expire', key);
  c.rewrite('SET', key, owner, 'PXAT', int64Text(at));
  return token;
}

/** Extends the TTL of `key` (held by the caller) to `ttl` ms from `c.now`; propagates PEXPIREAT. */
function extend(c: Client, state: LockState, key: string, ttl: number): void {
  const at = c.now + ttl;
  state.writing = true;
  try {
    c.db.setExpire(key, at);
  } finally {
    state.writing = false;
  }
  c.notify('g', 'expire', key);
  c.rewrite('PEXPIREAT', key, int64Text(at));
}

/** The owner of a lock value, or null when the key does not hold a string. */
function ownerOf(v: Value): string | null {
  return isString(v) ? stringOf(v) : null;
}

/* KV.LOCK key owner ttl-ms [WAIT ms] */
function lockCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const owner = argv[2]!;
  const ttl = parsePositiveMs(argv[3]!);
  if (ttl === null) return c.reply.error(Err.LOCK_TTL_INVALID);
  let wait = 0;
  for (let i = 4; i < argv.length; i++) {
    if (argv[i]!.toLowerCase() === 'wait' && i + 1 < argv.length) {
      const w = parseInt64(argv[++i]!);
      if (w === null || w < 0 || w > 9_007_199_254_740_991) return c.reply.error(Err.LOCK_WAIT_INVALID);
      wait = Number(w);
    } else return c.reply.error(Err.SYNTAX);
  }
  const state = lockStateOf(c.server);
  const db = c.db;
  const v = db.lookupWrite(key, c.now);
  if (v !== undefined) {
    const holder = ownerOf(v);
    if (holder === null) return c.reply.error(Err.WRONGTYPE);
    if (holder === owner) {
      // the owner again: a renewal that keeps its token (one is issued for a lock taken another way)
      extend(c, state, key, ttl);
      return c.reply.int(state.tokenOf(db, key) ?? state.issue(db, key, c.now));
    }
  } else if (c.server.blocking.waitersOn(db, key) === 0) {
    return c.reply.int(acquire(c, state, key, owner, ttl));
  }
  // held by another owner (or free with waiters ahead of us)
  if (wait === 0 || c.denyBlocking) return c.reply.nil();
  c.server.blocking.block(c, {
    keys: [key],
    deadline: c.now + wait,
    serve: (w, k) => {
      if (w.db.lookupWrite(k, w.now) !== undefined) return false;
      w.reply.int(acquire(w, state, k, owner, ttl));
      return true;
    },
    timedOut: (w) => w.reply.nil(),
  });
  state.wakeOnExpiry(db, key);
}

/* KV.UNLOCK key owner */
function unlockCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const v = c.db.lookupWrite(key, c.now);
  if (v === undefined) return c.reply.int(0);
  const holder = ownerOf(v);
  if (holder === null) return c.reply.error(Err.WRONGTYPE);
  if (holder !== argv[2]!) return c.reply.int(0);
  c.db.delete(key);
  c.notify('g', 'del', key);
  c.rewrite('DEL', key);
  c.reply.int(1);
}

/* KV.RENEW key owner ttl-ms */
function renewCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const ttl = parsePositiveMs(argv[3]!);
  if (ttl === null) return c.reply.error(Err.LOCK_TTL_INVALID);
  const v = c.db.lookupWrite(key, c.now);
  if (v === undefined) return c.reply.int(0);
  const holder = ownerOf(v);
  if (holder === null) return c.reply.error(Err.WRONGTYPE);
  if (holder !== argv[2]!) return c.reply.int(0);
  extend(c, lockStateOf(c.server), key, ttl);
  c.reply.int(1);
}

/* KV.LOCKINFO key */
function lockinfoCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const db: Database = c.db;
  const v = db.lookupRead(key, c.now);
  if (v === undefined) return c.reply.nil();
  const holder = ownerOf(v);
  if (holder === null) return c.reply.error(Err.WRONGTYPE);
  const at = db.expireAt(key);
  c.reply.map(3);
  c.reply.bulk('owner');
  c.reply.bulk(holder);
  c.reply.bulk('ttl');
  c.reply.int(at === undefined ? -1 : Math.max(0, at - c.now));
  c.reply.bulk('token');
  // 0: taken by another recipe (SET … NX PX), never through KV.LOCK
  c.reply.int(lockStateOf(c.server).tokenOf(db, key) ?? 0);
}

export const lockCommands: CommandRow[] = [
  { name: 'kv.lock', arity: -4, flags: 'write denyoom blocking', keys: [1, 1, 1], categories: '@string', handler: lockCommand },
  { name: 'kv.unlock', arity: 3, flags: 'write fast', keys: [1, 1, 1], categories: '@string', handler: unlockCommand },
  { name: 'kv.renew', arity: 4, flags: 'write fast', keys: [1, 1, 1], categories: '@string', handler: renewCommand },
  { name: 'kv.lockinfo', arity: 2, flags: 'readonly fast', keys: [1, 1, 1], categories: '@string', handler: lockinfoCommand },
];
