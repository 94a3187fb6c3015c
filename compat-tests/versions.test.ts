/*
 * Key versions: KV.SETV, KV.GETV, KV.VERSION, KV.IFVERSION. Once tracked, a key's version
 * changes with every modification by any command of any type (HSET, LPUSH, EXPIRE, DEL, expiry,
 * MULTI/EXEC, scripts), never repeats after a delete, and untracked keys cost nothing (no
 * listener on the write path).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { FakeClock } from '../src/engine/clock.js';
import { Err } from '../src/resp/errors.js';
import type { RunningServer } from '../src/server/app.js';
import { RawClient, startKv } from './harness.js';

const s = suite('versions');
const clock = new FakeClock(1_800_000_000_000);
let kv: RunningServer;
let c: RawClient;
const effects: string[][] = [];

s.before(async () => {
  kv = await startKv({}, clock);
  c = await RawClient.connect(kv.port);
});
s.after(async () => {
  c.close();
  await kv.stop();
});
s.before.each(async () => {
  await c.call('FLUSHALL');
  kv.context.effects = null;
  effects.length = 0;
});

const int = (raw: string): number => {
  assert.match(raw, /^:\d+\r\n$/);
  return Number(raw.slice(1, -2));
};
const version = async (key: string) => int(await c.call('KV.VERSION', key));
const NIL = '$-1\r\n';

s('KV.SETV / KV.GETV / KV.SETV IFVERSION', async () => {
  const v1 = int(await c.call('KV.SETV', 'k', 'a'));
  assert.ok(v1 > 0);
  assert.is(await c.call('KV.GETV', 'k'), `*2\r\n$1\r\na\r\n:${v1}\r\n`);
  assert.is(await version('k'), v1);
  assert.is(await c.call('KV.SETV', 'k', 'b', 'IFVERSION', String(v1 - 1)), NIL);
  const v2 = int(await c.call('KV.SETV', 'k', 'b', 'IFVERSION', String(v1)));
  assert.ok(v2 > v1);
  assert.is(await c.call('KV.SETV', 'k', 'c', 'IFVERSION', String(v1)), NIL);
  assert.is(await c.call('GET', 'k'), '$1\r\nb\r\n');
  // a missing key has version 0: IFVERSION 0 creates
  assert.is(await version('new'), 0);
  assert.is(await c.call('KV.SETV', 'new', 'x', 'IFVERSION', '1'), NIL);
  assert.ok(int(await c.call('KV.SETV', 'new', 'x', 'IFVERSION', '0')) > v2);
  assert.is(await c.call('KV.SETV', 'new', 'y', 'IFVERSION', '0'), NIL);
  // expiry options
  await c.call('KV.SETV', 't', 'v', 'PX', '5000');
  assert.is(await c.call('PTTL', 't'), ':5000\r\n');
  await c.call('KV.SETV', 't', 'w', 'KEEPTTL', 'IFVERSION', String(await version('t')));
  assert.is(await c.call('PTTL', 't'), ':5000\r\n');
  await c.call('KV.SETV', 't', 'w');
  assert.is(await c.call('PTTL', 't'), ':-1\r\n');
  // an existing key never tracked matches no version
  await c.call('SET', 'plain', 'p');
  assert.is(await c.call('KV.SETV', 'plain', 'q', 'IFVERSION', '0'), NIL);
});

s('GETV: nil when missing, WRONGTYPE on other types; RESP3 shape', async () => {
  assert.is(await c.call('KV.GETV', 'none'), NIL);
  await c.call('RPUSH', 'l', 'a');
  assert.is(await c.call('KV.GETV', 'l'), `-${Err.WRONGTYPE}\r\n`);
  const r3 = await RawClient.connect(kv.port);
  await r3.call('HELLO', '3');
  await r3.call('SET', 'k', 'v');
  assert.match(await r3.call('KV.GETV', 'k'), /^\*2\r\n\$1\r\nv\r\n:\d+\r\n$/);
  assert.is(await r3.call('KV.GETV', 'none'), '_\r\n');
  r3.close();
});

s('every modification by any command bumps the version: hash, list, EXPIRE, string writes', async () => {
  await c.call('HSET', 'h', 'f', '1');
  let last = await version('h');
  const steps: string[][] = [
    ['HSET', 'h', 'g', '2'],
    ['HINCRBY', 'h', 'f', '5'],
    ['HDEL', 'h', 'g'],
    ['EXPIRE', 'h', '100'],
    ['PERSIST', 'h'],
  ];
  for (const step of steps) {
    await c.call(...step);
    const v = await version('h');
    assert.ok(v > last, step.join(' '));
    last = v;
  }
  // reads and failed writes do not
  await c.call('HGET', 'h', 'f');
  await c.call('HINCRBY', 'h', 'f', 'x');
  await c.call('HSETNX', 'h', 'f', 'z');
  assert.is(await version('h'), last);
  await c.call('LPUSH', 'l', 'a');
  last = await version('l');
  for (const step of [['LPUSH', 'l', 'b'], ['RPOP', 'l'], ['LSET', 'l', '0', 'z'], ['RENAME', 'other', 'l']]) {
    await c.call(...step);
    const v = await version('l');
    assert.ok(v >= last, step.join(' '));
    if (step[0] !== 'RENAME') assert.ok(v > last, step.join(' '));
    last = v;
  }
  await c.call('SET', 's', '1');
  last = await version('s');
  for (const step of [['INCR', 's'], ['APPEND', 's', 'x'], ['SETRANGE', 's', '0', 'y'], ['SET', 's', 'z'], ['CAS', 's', 'z', 'w']]) {
    await c.call(...step);
    const v = await version('s');
    assert.ok(v > last, step.join(' '));
    last = v;
  }
});

s('DEL, expiry and FLUSHDB make the version 0; a key created again never repeats a version', async () => {
  const v1 = int(await c.call('KV.SETV', 'k', 'a'));
  await c.call('DEL', 'k');
  assert.is(await version('k'), 0);
  const v2 = int(await c.call('KV.SETV', 'k', 'a'));
  assert.ok(v2 > v1);
  await c.call('PEXPIRE', 'k', '100');
  clock.advance(101);
  assert.is(await version('k'), 0);
  await c.call('SET', 'k', 'again');
  const v3 = await version('k');
  assert.ok(v3 > v2);
  await c.call('FLUSHDB');
  assert.is(await version('k'), 0);
});

s('KV.IFVERSION runs a write command only on a matching version', async () => {
  await c.call('HSET', 'h', 'f', '1');
  const v = await version('h');
  assert.is(await c.call('KV.IFVERSION', 'h', String(v + 1), 'HSET', 'h', 'f', '2'), NIL);
  assert.is(await c.call('HGET', 'h', 'f'), '$1\r\n1\r\n');
  assert.is(await c.call('KV.IFVERSION', 'h', String(v), 'HSET', 'h', 'f', '2', 'g', '3'), ':1\r\n');
  assert.ok((await version('h')) > v);
  assert.is(await c.call('KV.IFVERSION', 'h', String(v), 'HSET', 'h', 'f', '9'), NIL);
  // a list, created from version 0
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'RPUSH', 'q', 'a', 'b'), ':2\r\n');
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'RPUSH', 'q', 'c'), NIL);
  // the inner command's errors and replies pass through
  const lv = await version('q');
  assert.is(await c.call('KV.IFVERSION', 'q', String(lv), 'HSET', 'q', 'f', 'v'), `-${Err.WRONGTYPE}\r\n`);
  assert.is(await c.call('KV.IFVERSION', 'q', String(lv), 'LPOP', 'q'), '$1\r\na\r\n');
  // refused: reads, other keys, unknown commands, bad arity, nesting
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'LLEN', 'q'), `-${Err.IFVERSION_NOT_WRITE}\r\n`);
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'RPUSH', 'other', 'x'), `-${Err.IFVERSION_KEY_NOT_USED}\r\n`);
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'KV.IFVERSION', 'q', '0', 'DEL', 'q'), `-${Err.IFVERSION_NOT_WRITE}\r\n`);
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'NOPE', 'q'), `-${Err.UNKNOWN_COMMAND('NOPE', '')}\r\n`);
  assert.is(await c.call('KV.IFVERSION', 'q', '0', 'RPUSH', 'q'), `-${Err.WRONG_ARITY('rpush')}\r\n`);
  assert.is(await c.call('KV.IFVERSION', 'q', 'x', 'RPUSH', 'q', 'a'), `-${Err.VERSION_NOT_INTEGER}\r\n`);
  // a blocking command does not block inside it
  assert.is(await c.call('KV.IFVERSION', 'e', '0', 'BLPOP', 'e', '0'), '*-1\r\n');
});

s('MULTI/EXEC and scripts bump versions; KV.IFVERSION works inside both', async () => {
  await c.call('RPUSH', 'l', 'a');
  const v0 = await version('l');
  await c.call('MULTI');
  await c.call('RPUSH', 'l', 'b');
  await c.call('KV.IFVERSION', 'l', String(v0), 'RPUSH', 'l', 'c');
  assert.is(await c.call('EXEC'), '*2\r\n:2\r\n$-1\r\n');
  const v1 = await version('l');
  assert.ok(v1 > v0);
  assert.is(await c.call('EVAL', "return redis.call('KV.IFVERSION', KEYS[1], ARGV[1], 'RPUSH', KEYS[1], 'd')", '1', 'l', String(v1)), ':3\r\n');
  const v2 = await version('l');
  assert.ok(v2 > v1);
  assert.is(await c.call('EVAL', "redis.call('LPOP', KEYS[1]) return redis.call('KV.VERSION', KEYS[1])", '1', 'l').then((r) => int(r) > v2), true);
});

s('propagation: KV.SETV with an absolute expiry; KV.IFVERSION as its command', async () => {
  kv.context.effects = (_db, argv) => void effects.push([...argv]);
  await c.call('KV.SETV', 'k', 'v', 'EX', '10');
  await c.call('KV.SETV', 'k', 'w', 'KEEPTTL');
  await c.call('KV.SETV', 'k', 'x', 'IFVERSION', '1');
  const v = await version('k');
  await c.call('KV.IFVERSION', 'k', String(v), 'SET', 'k', 'y', 'EX', '5');
  await c.call('KV.IFVERSION', 'k', '1', 'DEL', 'k');
  assert.equal(effects, [
    ['KV.SETV', 'k', 'v', 'PXAT', String(clock.ms + 10_000)],
    ['KV.SETV', 'k', 'w', 'KEEPTTL'],
    ['SET', 'k', 'y', 'PXAT', String(clock.ms + 5000)],
  ]);
});

s('untracked keys cost nothing: no listener on the write path until a key is tracked', async () => {
  assert.is(kv.context.keyspace.hooks.modified, null);
  await c.call('SET', 'k', 'v');
  assert.is(kv.context.keyspace.hooks.modified, null);
  await version('k');
  assert.is.not(kv.context.keyspace.hooks.modified, null);
  await c.call('DEL', 'k');
  assert.is(kv.context.keyspace.hooks.modified, null);
});

s('ioredis: optimistic concurrency on a hash without WATCH', async () => {
  const r = new Redis(kv.port, '127.0.0.1');
  try {
    await r.hset('acct', 'balance', '100');
    const v = (await r.call('KV.VERSION', 'acct')) as number;
    const balance = Number(await r.hget('acct', 'balance'));
    await r.hincrby('acct', 'balance', 5); // someone else writes meanwhile
    assert.is(await r.call('KV.IFVERSION', 'acct', String(v), 'HSET', 'acct', 'balance', String(balance - 30)), null);
    const v2 = (await r.call('KV.VERSION', 'acct')) as number;
    assert.is(await r.call('KV.IFVERSION', 'acct', String(v2), 'HSET', 'acct', 'balance', '75'), 0);
    assert.is(await r.hget('acct', 'balance'), '75');
  } finally {
    r.disconnect();
  }
});

s.run();
