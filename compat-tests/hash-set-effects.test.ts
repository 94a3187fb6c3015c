/*
 * What the hash and set commands propagate (the effects stream) and which keyspace events they
 * signal, as Redis's t_hash.c / t_set.c do; and that their random picks (SPOP, SRANDMEMBER,
 * HRANDFIELD) return members of the collection, distinct where asked, roughly uniformly.
 * These are kv-server's own: real Redis's choices are random, so they cannot be compared.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { startKv } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

let kv: RunningServer;
let r: Redis;
let effects: string[][] = [];
let events: string[] = [];

test.before(async () => {
  kv = await startKv();
  kv.context.effects = (_db, argv) => effects.push([...argv]);
  kv.context.notifier = (cls, event, key) => events.push(`${cls}:${event}:${key}`);
  r = new Redis({ port: kv.port, host: '127.0.0.1', lazyConnect: true });
  await r.connect();
});

test.after(async () => {
  r.disconnect();
  await kv.stop();
});

test.before.each(async () => {
  await r.flushall();
  effects = [];
  events = [];
});

const ints = (n: number, from = 1) => Array.from({ length: n }, (_, i) => String(from + i));
const words = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

test('HSET, HDEL and HINCRBY propagate as received; HINCRBYFLOAT as HSET of the result', async () => {
  await r.hset('h', 'a', '1', 'b', '2');
  await r.hdel('h', 'zz');
  await r.hincrby('h', 'a', 5);
  assert.is(await r.hincrbyfloat('h', 'b', '0.1'), '2.1');
  await r.hdel('h', 'a', 'b');
  assert.equal(effects, [['hset', 'h', 'a', '1', 'b', '2'], ['hincrby', 'h', 'a', '5'], ['HSET', 'h', 'b', '2.1'], ['hdel', 'h', 'a', 'b']]);
  assert.equal(events, ['h:hset:h', 'h:hincrby:h', 'h:hincrbyfloat:h', 'h:hdel:h', 'g:del:h']);
});

test('HSETNX, HMSET events; failed writes propagate nothing', async () => {
  await r.hsetnx('h', 'a', '1');
  await r.hsetnx('h', 'a', '2');
  await r.hmset('h', 'b', '2');
  await r.hincrby('h', 'b', 'x' as never).catch(() => {});
  await r.set('s', 'v');
  await r.hset('s', 'a', '1').catch(() => {});
  assert.equal(effects.map((e) => e[0]), ['hsetnx', 'hmset', 'set']);
  assert.equal(events, ['h:hset:h', 'h:hset:h']);
});

test('SADD and SREM events; the last member removed deletes the key', async () => {
  await r.sadd('s', '1', '2');
  await r.sadd('s', '1');
  await r.srem('s', 'x');
  await r.srem('s', '1', '2', '3');
  assert.equal(events, ['s:sadd:s', 's:srem:s', 'g:del:s']);
  assert.equal(effects, [['sadd', 's', '1', '2'], ['srem', 's', '1', '2', '3']]);
});

test('SPOP without count propagates SREM of the member popped', async () => {
  await r.sadd('s', ...words(5));
  effects = [];
  const m = await r.spop('s');
  assert.ok(m !== null && words(5).includes(m));
  assert.equal(effects, [['SREM', 's', m!]]);
  assert.not.ok(await r.sismember('s', m!));
  await r.del('one');
  await r.sadd('one', 'x');
  effects = [];
  events = [];
  assert.is(await r.spop('one'), 'x');
  assert.equal(effects, [['SREM', 'one', 'x']]);
  assert.equal(events, ['s:spop:one', 'g:del:one']);
});

test('SPOP count: the whole set goes as DEL', async () => {
  await r.sadd('s', ...ints(5));
  effects = [];
  events = [];
  assert.equal(await r.spop('s', 5), ints(5));
  assert.equal(effects, [['DEL', 's']]);
  assert.equal(events, ['s:spop:s', 'g:del:s']);
});

for (const [label, size, count, members] of [
  ['one by one (intset)', 100, 10, ints],
  ['one by one (hashtable)', 100, 10, words],
  ['rebuilt from the rest (intset)', 100, 90, ints],
  ['rebuilt from the rest (hashtable)', 100, 90, words],
  ['in SREM batches of 1024', 3000, 2000, words],
] as const) {
  test(`SPOP count, ${label}: SREM of exactly the members replied`, async () => {
    const all = members(size);
    await r.sadd('s', ...all);
    effects = [];
    const popped = (await r.spop('s', count)) as string[];
    assert.is(popped.length, count);
    assert.is(new Set(popped).size, count);
    const left = await r.smembers('s');
    assert.is(left.length, size - count);
    assert.equal([...popped, ...left].sort(), all.slice().sort());
    const propagated = effects.flatMap((e) => {
      assert.is(e[0], 'SREM');
      assert.is(e[1], 's');
      assert.ok(e.length - 2 <= 1024);
      return e.slice(2);
    });
    assert.equal(propagated.sort(), popped.slice().sort());
    assert.is(effects.length, Math.ceil(count / 1024));
  });
}

test('SMOVE signals srem on the source and sadd on the destination', async () => {
  await r.sadd('a', 'x', 'y');
  await r.sadd('b', 'x');
  events = [];
  await r.smove('a', 'b', 'x');
  assert.equal(events, ['s:srem:a']);
  await r.smove('a', 'c', 'y');
  assert.equal(events, ['s:srem:a', 's:srem:a', 'g:del:a', 's:sadd:c']);
});

test('the STORE forms signal their event, or del for an empty result', async () => {
  await r.sadd('a', '1', '2');
  await r.sadd('b', '2', '3');
  await r.sinterstore('d', 'a', 'b');
  await r.sunionstore('d', 'a', 'b');
  await r.sdiffstore('d', 'a', 'b');
  await r.sinterstore('d', 'a', 'nokey');
  await r.sinterstore('d', 'a', 'nokey');
  assert.equal(events.slice(2), ['s:sinterstore:d', 's:sunionstore:d', 's:sdiffstore:d', 'g:del:d']);
});

test('SRANDMEMBER: members of the set, distinct for a positive count, about uniform', async () => {
  for (const members of [ints(10), words(10)]) {
    await r.del('s');
    await r.sadd('s', ...members);
    const counts = new Map<string, number>();
    const picks = (await r.srandmember('s', -20000)) as string[];
    assert.is(picks.length, 20000);
    for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
    assert.equal([...counts.keys()].sort(), members.slice().sort());
    for (const n of counts.values()) assert.ok(n > 1600 && n < 2400, `uneven: ${n}`);
    for (const count of [2, 5, 9]) {
      const got = (await r.srandmember('s', count)) as string[];
      assert.is(got.length, count);
      assert.is(new Set(got).size, count);
      for (const g of got) assert.ok(members.includes(g));
    }
    const single = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const m = (await r.srandmember('s')) as string;
      single.set(m, (single.get(m) ?? 0) + 1);
    }
    assert.is(single.size, 10);
  }
});

test('SRANDMEMBER of a large set: distinct picks both by shuffle and by sampling', async () => {
  await r.sadd('big', ...words(1000));
  for (const count of [10, 400, 999]) {
    const got = (await r.srandmember('big', count)) as string[];
    assert.is(new Set(got).size, count);
  }
});

test('HRANDFIELD: fields with their values, distinct for a positive count, about uniform', async () => {
  for (const n of [10, 200]) {
    await r.del('h');
    await r.hset('h', Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, `v${i}`])));
    const pairs = (await r.hrandfield('h', -100 * n, 'WITHVALUES')) as string[];
    assert.is(pairs.length, 200 * n);
    const counts = new Map<string, number>();
    for (let i = 0; i < pairs.length; i += 2) {
      assert.is(pairs[i + 1], 'v' + pairs[i]!.slice(1));
      counts.set(pairs[i]!, (counts.get(pairs[i]!) ?? 0) + 1);
    }
    assert.is(counts.size, n);
    for (const c of counts.values()) assert.ok(c > 40 && c < 200, `uneven: ${c}`); // 100 expected
    const some = (await r.hrandfield('h', n - 1)) as string[];
    assert.is(new Set(some).size, n - 1);
  }
});

test('SPOP of a hashtable set is about uniform', async () => {
  const counts = new Map<string, number>();
  for (let i = 0; i < 1500; i++) {
    await r.sadd('u', 'a', 'b', 'c');
    const m = (await r.spop('u')) as string;
    counts.set(m, (counts.get(m) ?? 0) + 1);
    await r.del('u');
  }
  for (const n of counts.values()) assert.ok(n > 380 && n < 620, `uneven: ${n}`);
});

test.run();
