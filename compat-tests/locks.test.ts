/*
 * KV.LOCK, KV.UNLOCK, KV.RENEW, KV.LOCKINFO: fencing tokens, waits (first come first served,
 * woken by the write that frees the key and on time by the holder's expiry), propagation, and
 * the lock recipes of other libraries working on the same keys.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { FakeClock } from '../src/engine/clock.js';
import { Err } from '../src/resp/errors.js';
import type { RunningServer } from '../src/server/app.js';
import { RawClient, startKv } from './harness.js';

const s = suite('locks');
let kv: RunningServer;
let c: RawClient;
const effects: string[][] = [];

s.before(async () => {
  kv = await startKv();
  kv.context.effects = (_db, argv) => void effects.push([...argv]);
  c = await RawClient.connect(kv.port);
});
s.after(async () => {
  c.close();
  await kv.stop();
});
s.before.each(async () => {
  await c.call('FLUSHALL');
  effects.length = 0;
});

const int = (raw: string): number => {
  assert.match(raw, /^:\d+\r\n$/);
  return Number(raw.slice(1, -2));
};
const NIL = '$-1\r\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits (up to 5 s) until INFO reports `n` blocked clients. */
async function blockedClients(n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await c.call('INFO', 'clients')).includes(`blocked_clients:${n}\r\n`)) return;
    await sleep(10);
  }
  throw new Error(`never ${n} blocked clients`);
}

s('acquire, contend, re-lock keeps the token, unlock, tokens increase', async () => {
  const t1 = int(await c.call('KV.LOCK', 'L', 'a', '10000'));
  assert.ok(t1 > 0);
  assert.is(await c.call('KV.LOCK', 'L', 'b', '10000'), NIL);
  assert.is(int(await c.call('KV.LOCK', 'L', 'a', '20000')), t1);
  const pttl = int(await c.call('PTTL', 'L'));
  assert.ok(pttl > 19_000 && pttl <= 20_000, String(pttl));
  assert.is(await c.call('KV.UNLOCK', 'L', 'b'), ':0\r\n');
  assert.is(await c.call('KV.UNLOCK', 'L', 'a'), ':1\r\n');
  assert.is(await c.call('KV.UNLOCK', 'L', 'a'), ':0\r\n');
  const t2 = int(await c.call('KV.LOCK', 'L', 'b', '10000'));
  assert.ok(t2 > t1);
  // another lock's tokens come from the same counter: they increase too
  const t3 = int(await c.call('KV.LOCK', 'M', 'a', '10000'));
  assert.ok(t3 > t2);
});

s('a lock is an ordinary string key with a TTL', async () => {
  await c.call('KV.LOCK', 'L', 'owner-1', '5000');
  assert.is(await c.call('TYPE', 'L'), '+string\r\n');
  assert.is(await c.call('GET', 'L'), '$7\r\nowner-1\r\n');
  assert.is(await c.call('SCAN', '0'), '*2\r\n$1\r\n0\r\n*1\r\n$1\r\nL\r\n');
  const ttl = int(await c.call('PTTL', 'L'));
  assert.ok(ttl > 4000 && ttl <= 5000);
});

s('KV.RENEW only by the owner; KV.LOCKINFO in RESP2 and RESP3', async () => {
  assert.is(await c.call('KV.RENEW', 'L', 'a', '1000'), ':0\r\n');
  assert.is(await c.call('KV.LOCKINFO', 'L'), NIL);
  const t = int(await c.call('KV.LOCK', 'L', 'a', '1000'));
  assert.is(await c.call('KV.RENEW', 'L', 'b', '90000'), ':0\r\n');
  assert.is(await c.call('KV.RENEW', 'L', 'a', '90000'), ':1\r\n');
  const info = await c.call('KV.LOCKINFO', 'L');
  assert.match(info, new RegExp(`^\\*6\\r\\n\\$5\\r\\nowner\\r\\n\\$1\\r\\na\\r\\n\\$3\\r\\nttl\\r\\n:(\\d+)\\r\\n\\$5\\r\\ntoken\\r\\n:${t}\\r\\n$`));
  assert.ok(Number(/:(\d+)/.exec(info)![1]) > 89_000);
  const r3 = await RawClient.connect(kv.port);
  await r3.call('HELLO', '3');
  assert.match(await r3.call('KV.LOCKINFO', 'L'), new RegExp(`^%3\\r\\n\\$5\\r\\nowner\\r\\n\\$1\\r\\na\\r\\n\\$3\\r\\nttl\\r\\n:\\d+\\r\\n\\$5\\r\\ntoken\\r\\n:${t}\\r\\n$`));
  assert.is(await r3.call('KV.LOCKINFO', 'none'), '_\r\n');
  r3.close();
});

s('errors', async () => {
  for (const ttl of ['0', '-5', 'x', '1.5']) assert.is(await c.call('KV.LOCK', 'L', 'a', ttl), `-${Err.LOCK_TTL_INVALID}\r\n`);
  assert.is(await c.call('KV.RENEW', 'L', 'a', '0'), `-${Err.LOCK_TTL_INVALID}\r\n`);
  assert.is(await c.call('KV.LOCK', 'L', 'a', '10', 'WAIT', 'x'), `-${Err.LOCK_WAIT_INVALID}\r\n`);
  assert.is(await c.call('KV.LOCK', 'L', 'a', '10', 'WAIT'), `-${Err.SYNTAX}\r\n`);
  assert.is(await c.call('KV.LOCK', 'L', 'a', '10', 'NX'), `-${Err.SYNTAX}\r\n`);
  assert.is(await c.call('KV.LOCK', 'L', 'a'), `-${Err.WRONG_ARITY('kv.lock')}\r\n`);
  await c.call('LPUSH', 'list', 'x');
  for (const cmd of [['KV.LOCK', 'list', 'a', '10'], ['KV.UNLOCK', 'list', 'a'], ['KV.RENEW', 'list', 'a', '10'], ['KV.LOCKINFO', 'list']]) {
    assert.is(await c.call(...cmd), `-${Err.WRONGTYPE}\r\n`, cmd[0]);
  }
});

s('WAIT: waiters are served first come first served when the lock is released', async () => {
  await c.call('KV.LOCK', 'L', 'holder', '10000');
  const waiters = await Promise.all([1, 2, 3].map(() => RawClient.connect(kv.port)));
  const replies: Array<Promise<string>> = [];
  for (let i = 0; i < 3; i++) {
    replies.push(waiters[i]!.call('KV.LOCK', 'L', `w${i}`, '10000', 'WAIT', '5000'));
    await blockedClients(i + 1); // each blocks before the next asks
  }
  assert.is(await c.call('INFO', 'clients').then((r) => /blocked_clients:(\d+)/.exec(r)![1]), '3');
  // in the same pipeline: the waiter is served right after UNLOCK, before the newcomer
  c.write('*3\r\n$9\r\nKV.UNLOCK\r\n$1\r\nL\r\n$6\r\nholder\r\n*4\r\n$7\r\nKV.LOCK\r\n$1\r\nL\r\n$3\r\nnew\r\n$2\r\n10\r\n');
  assert.is(await c.readReply(), ':1\r\n');
  assert.is(await c.readReply(), NIL);
  const t0 = int(await replies[0]!);
  assert.is(await c.call('GET', 'L'), '$2\r\nw0\r\n');
  assert.is(await c.call('KV.UNLOCK', 'L', 'w0'), ':1\r\n');
  const t1 = int(await replies[1]!);
  assert.ok(t1 > t0);
  await c.call('DEL', 'L'); // any write that frees the key wakes the next
  const t2 = int(await replies[2]!);
  assert.ok(t2 > t1);
  for (const w of waiters) w.close();
});

s("WAIT: a holder's TTL running out wakes the waiter on time", async () => {
  // timed from before the SET: its TTL ends 300 ms after the server ran it, so at least 300 ms after
  // this (timing from after connecting the waiter made a loaded machine's slow connect look like an early wake)
  const start = Date.now();
  await c.call('SET', 'L', 'other-recipe', 'PX', '300');
  const w = await RawClient.connect(kv.port);
  const t = int(await w.call('KV.LOCK', 'L', 'me', '1000', 'WAIT', '3000'));
  const waited = Date.now() - start;
  assert.ok(t > 0);
  assert.ok(waited >= 295 && waited < 1500, `waited ${waited} ms`); // woken by the expiry timer, not a poll
  assert.is(await c.call('GET', 'L'), '$2\r\nme\r\n');
  // and a renewed holder keeps it: the waiter times out with nil
  const start2 = Date.now();
  const renewing = setInterval(() => void c.call('KV.RENEW', 'L', 'me', '1000'), 100);
  assert.is(await w.call('KV.LOCK', 'L', 'you', '1000', 'WAIT', '500'), NIL);
  clearInterval(renewing);
  const waited2 = Date.now() - start2;
  assert.ok(waited2 >= 480 && waited2 < 2000, `waited ${waited2} ms`);
  w.close();
});

s('a waiter that disconnects leaves nothing behind; MULTI never waits', async () => {
  await c.call('KV.LOCK', 'L', 'holder', '10000');
  const w = await RawClient.connect(kv.port);
  w.write('*6\r\n$7\r\nKV.LOCK\r\n$1\r\nL\r\n$1\r\nw\r\n$5\r\n10000\r\n$4\r\nWAIT\r\n$5\r\n10000\r\n');
  await sleep(30);
  w.close();
  await sleep(30);
  assert.is(await c.call('INFO', 'clients').then((r) => /blocked_clients:(\d+)/.exec(r)![1]), '0');
  assert.is(await c.call('KV.UNLOCK', 'L', 'holder'), ':1\r\n');
  assert.ok(int(await c.call('KV.LOCK', 'L', 'fresh', '100')) > 0);
  await c.call('MULTI');
  await c.call('KV.LOCK', 'L', 'x', '100', 'WAIT', '5000');
  assert.is(await c.call('EXEC'), '*1\r\n$-1\r\n');
});

s('a free lock with waiters queued is not taken by a newcomer (fake clock: expiry before the timer)', async () => {
  const clock = new FakeClock(1_800_000_000_000);
  const fk = await startKv({}, clock);
  try {
    const a = await RawClient.connect(fk.port);
    const w = await RawClient.connect(fk.port);
    assert.ok(int(await a.call('KV.LOCK', 'L', 'a', '60000')) > 0);
    const waiting = w.call('KV.LOCK', 'L', 'w', '1000', 'WAIT', '600000');
    await sleep(30);
    clock.advance(61_000); // a's TTL has passed; the wake-up timer is a minute of real time away
    assert.is(await a.call('KV.LOCK', 'L', 'newcomer', '1000'), NIL);
    assert.ok(int(await waiting) > 0);
    assert.is(await a.call('GET', 'L'), '$1\r\nw\r\n');
    a.close();
    w.close();
  } finally {
    await fk.stop();
  }
});

s('propagation: SET … PXAT, PEXPIREAT, DEL; a served waiter propagates its acquisition', async () => {
  await c.call('KV.LOCK', 'L', 'a', '10000');
  await c.call('KV.LOCK', 'L', 'b', '10000');
  await c.call('KV.RENEW', 'L', 'a', '20000');
  await c.call('KV.UNLOCK', 'L', 'a');
  const w = await RawClient.connect(kv.port);
  await c.call('KV.LOCK', 'L', 'a', '10000');
  const waiting = w.call('KV.LOCK', 'L', 'w', '5000', 'WAIT', '5000');
  await blockedClients(1);
  await c.call('KV.UNLOCK', 'L', 'a');
  await waiting;
  w.close();
  const shapes = effects.map((e) => e.map((x, i) => (i === 4 || (e[0] === 'PEXPIREAT' && i === 2) ? 'T' : x)));
  assert.equal(shapes, [
    ['SET', 'L', 'a', 'PXAT', 'T'],
    ['PEXPIREAT', 'L', 'T'],
    ['DEL', 'L'],
    ['SET', 'L', 'a', 'PXAT', 'T'],
    ['DEL', 'L'],
    ['SET', 'L', 'w', 'PXAT', 'T'],
  ]);
});

s('the recipes of other libraries work beside KV.LOCK, on the same keys', async () => {
  const r = new Redis(kv.port, '127.0.0.1');
  try {
    const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
    // SET NX PX lock: KV.LOCK sees it held; LOCKINFO has no token for it
    assert.is(await r.set('job', 'token-1', 'PX', 5000, 'NX'), 'OK');
    assert.is(await r.call('KV.LOCK', 'job', 'me', '1000'), null);
    const info = (await r.call('KV.LOCKINFO', 'job')) as unknown[];
    assert.equal([...info.slice(0, 3), ...info.slice(4)], ['owner', 'token-1', 'ttl', 'token', 0]);
    assert.ok((info[3] as number) > 4000 && (info[3] as number) <= 5000);
    assert.is(await r.eval(RELEASE, 1, 'job', 'token-1'), 1);
    // a KV.LOCK lock is refused to SET NX and released by the Lua recipe and by DELIFEQ
    const t = (await r.call('KV.LOCK', 'job', 'me', '5000')) as number;
    assert.ok(t > 0);
    assert.is(await r.set('job', 'token-2', 'PX', 5000, 'NX'), null);
    assert.is(await r.eval(RELEASE, 1, 'job', 'other'), 0);
    assert.is(await r.eval(RELEASE, 1, 'job', 'me'), 1);
    assert.ok(((await r.call('KV.LOCK', 'job', 'me', '5000')) as number) > t);
    assert.is(await r.call('DELIFEQ', 'job', 'me'), 1);
    // a waiter on KV.LOCK is woken by the recipe's release too
    await r.set('job', 'token-3', 'PX', 5000, 'NX');
    const w = new Redis(kv.port, '127.0.0.1');
    const waiting = w.call('KV.LOCK', 'job', 'me', '5000', 'WAIT', '3000');
    await sleep(30);
    assert.is(await r.eval(RELEASE, 1, 'job', 'token-3'), 1);
    assert.ok(((await waiting) as number) > t);
    w.disconnect();
  } finally {
    r.disconnect();
  }
});

s.run();
