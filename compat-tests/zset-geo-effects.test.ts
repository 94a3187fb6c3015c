/*
 * What the sorted set and geo commands propagate (the effects stream) and which keyspace events
 * they signal, as Redis's t_zset.c / geo.c do; and that ZRANDMEMBER's picks are members, distinct
 * where asked and roughly uniform. kv-server's own checks: Redis's random choices and its
 * internal streams cannot be compared byte for byte.
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

test('ZADD and ZINCRBY propagate as received, only when they change something', async () => {
  await r.zadd('z', 1, 'a', 2, 'b');
  await r.zadd('z', 1, 'a'); // same score: no change
  await r.zadd('z', 'NX', 5, 'a'); // nothing added
  await r.zadd('z', 'GT', 0, 'b'); // not greater
  await r.zadd('z', 'INCR', 2, 'a');
  await r.zincrby('z', 0.5, 'b');
  await r.zadd('z', 'XX', 1, 'nope');
  assert.equal(effects, [['zadd', 'z', '1', 'a', '2', 'b'], ['zadd', 'z', 'INCR', '2', 'a'], ['zincrby', 'z', '0.5', 'b']]);
  assert.equal(events, ['z:zadd:z', 'z:zincr:z', 'z:zincr:z']);
});

test('a NaN increment changes and propagates nothing', async () => {
  await r.zadd('z', 'inf', 'a');
  effects = [];
  events = [];
  await r.zincrby('z', '-inf', 'a').catch(() => {});
  await r.zadd('z', 'INCR', '-inf', 'a').catch(() => {});
  assert.equal(effects, []);
  assert.equal(events, []);
  assert.is(await r.zscore('z', 'a'), 'inf');
});

test('ZREM and the ZREMRANGEBY family: their events, then del when the set empties', async () => {
  await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e');
  events = [];
  await r.zrem('z', 'x');
  await r.zrem('z', 'a');
  await r.zremrangebyscore('z', 2, 2);
  await r.zremrangebyrank('z', 0, 0);
  await r.zremrangebylex('z', '-', '+');
  await r.zremrangebylex('z', '-', '+');
  assert.equal(events, ['z:zrem:z', 'z:zremrangebyscore:z', 'z:zremrangebyrank:z', 'z:zremrangebylex:z', 'g:del:z']);
  assert.equal(effects.slice(1).map((e) => e[0]), ['zrem', 'zremrangebyscore', 'zremrangebyrank', 'zremrangebylex']);
});

test('ZPOPMIN/ZPOPMAX propagate as received; ZMPOP as the ZPOP it did', async () => {
  await r.zadd('z', 1, 'a', 2, 'b', 3, 'c', 4, 'd');
  effects = [];
  events = [];
  await r.zpopmin('z');
  await r.zpopmax('z', 1);
  await r.call('ZMPOP', '2', 'none', 'z', 'MAX', 'COUNT', '5');
  await r.call('ZMPOP', '1', 'z', 'MIN');
  // ZMPOP … COUNT 5 of a set holding 2 propagates the 2 it popped (Redis's zset.tcl "ZMPOP propagate as pop with count")
  assert.equal(effects, [['zpopmin', 'z'], ['zpopmax', 'z', '1'], ['ZPOPMAX', 'z', '2']]);
  assert.equal(events, ['z:zpopmin:z', 'z:zpopmax:z', 'z:zpopmax:z', 'g:del:z']);
});

test('the STORE forms: their events, del when the result is empty, nothing when there was nothing', async () => {
  await r.zadd('a', 1, 'x', 2, 'y');
  await r.zadd('b', 5, 'y');
  events = [];
  effects = [];
  await r.zunionstore('u', 2, 'a', 'b');
  await r.zinterstore('i', 2, 'a', 'b');
  await r.zdiffstore('d', 2, 'a', 'b');
  await r.zrangestore('rs', 'a', 0, 0);
  await r.zinterstore('u', 2, 'a', 'none'); // empty: deletes u
  await r.zinterstore('u', 2, 'a', 'none'); // nothing to delete
  assert.equal(events, ['z:zunionstore:u', 'z:zinterstore:i', 'z:zdiffstore:d', 'z:zrangestore:rs', 'g:del:u']);
  assert.equal(effects.map((e) => e[0]), ['zunionstore', 'zinterstore', 'zdiffstore', 'zrangestore', 'zinterstore']);
});

test('GEOADD signals zadd; GEOSEARCHSTORE and GEORADIUS STORE their own events', async () => {
  await r.geoadd('g', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania');
  await r.geosearchstore('s', 'g', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km');
  await r.georadius('g', 15, 37, 200, 'km', 'STORE', 'r');
  await r.georadiusbymember('g', 'Palermo', 1, 'm', 'STOREDIST', 'r');
  assert.equal(events, ['z:zadd:g', 'z:geosearchstore:s', 'z:georadiusstore:r', 'z:georadiusstore:r']);
  assert.equal(effects.map((e) => e[0]), ['geoadd', 'geosearchstore', 'georadius', 'georadiusbymember']);
  assert.equal(await r.zrange('r', 0, -1, 'WITHSCORES'), ['Palermo', '0']);
});

test('ZRANDMEMBER: members only, distinct for a positive count, roughly uniform', async () => {
  const members = Array.from({ length: 20 }, (_, i) => `m${i}`);
  await r.zadd('z', ...members.flatMap((m, i) => [i, m]));
  for (const count of [1, 5, 19]) {
    const got = await r.zrandmember('z', count);
    assert.is(new Set(got).size, count);
    for (const m of got) assert.ok(members.includes(m));
  }
  const counts = new Map<string, number>();
  const draws = (await r.zrandmember('z', -20000)) as string[];
  for (const m of draws) counts.set(m, (counts.get(m) ?? 0) + 1);
  assert.is(counts.size, 20);
  for (const [m, n] of counts) assert.ok(n > 700 && n < 1300, `${m}: ${n}`);
  const firsts = new Map<string, number>();
  for (let i = 0; i < 2000; i++) {
    const [m] = await r.zrandmember('z', 3);
    firsts.set(m!, (firsts.get(m!) ?? 0) + 1);
  }
  for (const [m, n] of firsts) assert.ok(n > 40 && n < 180, `${m}: ${n}`);
  assert.equal(effects.filter((e) => e[0] === 'zrandmember'), []);
});

test.run();
