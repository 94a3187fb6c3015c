/*
 * Sorted sets and geo as applications use them, through ioredis 5 (RESP2) and ioredis 6
 * (RESP3): a leaderboard (ZADD, ZINCRBY, ZRANGE … REV WITHSCORES, ZREVRANK, ZSCORE, ZCOUNT,
 * ZREMRANGEBYRANK trimming) grown past the listpack limit, a full ZSCAN of a skiplist set, and a
 * store-locator geo search (GEOADD, GEOSEARCH BYRADIUS/BYBOX with distances and coordinates,
 * GEODIST, GEOPOS, GEOSEARCHSTORE).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { startKv } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

// ioredis 6 keeps ioredis 5's command signatures: one type for both keeps the overloads usable
type AnyRedis = Redis5;
type RedisClass = new (opts: Record<string, unknown>) => AnyRedis;

for (const [label, Redis] of [
  ['ioredis 5', Redis5 as unknown as RedisClass],
  ['ioredis 6', Redis6 as unknown as RedisClass],
] as const) {
  const s = suite(`${label}: leaderboard and geo search`);
  let kv: RunningServer;
  let r: AnyRedis;
  s.before(async () => {
    kv = await startKv();
    r = new Redis({ host: '127.0.0.1', port: kv.port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await r.connect();
  });
  s.after(async () => {
    r.disconnect();
    await kv.stop();
  });

  s('a leaderboard: scores, increments, top N, ranks, trimming', async () => {
    await r.del('board');
    const players = Array.from({ length: 300 }, (_, i) => `player:${i}`);
    const expected = new Map<string, number>();
    const pipe = r.pipeline();
    players.forEach((p, i) => {
      pipe.zadd('board', (i * 37) % 1000, p);
      expected.set(p, (i * 37) % 1000);
    });
    await pipe.exec();
    for (let round = 0; round < 200; round++) {
      const p = players[(round * 13) % players.length]!;
      const by = (round % 7) - 2 + 0.5;
      const now = Number(await r.zincrby('board', by, p));
      expected.set(p, expected.get(p)! + by);
      assert.is(now, expected.get(p));
    }
    assert.is(await r.object('ENCODING', 'board'), 'skiplist');
    const sorted = [...expected].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1));
    const top = await r.zrange('board', 0, 9, 'REV', 'WITHSCORES');
    assert.equal(top, sorted.slice(0, 10).flatMap(([m, sc]) => [m, String(sc)]));
    assert.equal(await r.zrevrange('board', 0, 2), sorted.slice(0, 3).map(([m]) => m));
    for (const k of [0, 1, 50, 299]) assert.is(await r.zrevrank('board', sorted[k]![0]), k);
    assert.is(await r.zrevrank('board', 'nobody'), null);
    assert.is(Number(await r.zscore('board', sorted[0]![0])), sorted[0]![1]);
    assert.is(await r.zcount('board', '(500', '+inf'), sorted.filter(([, sc]) => sc > 500).length);
    // keep the best 100
    assert.is(await r.zremrangebyrank('board', 0, -101), 200);
    assert.is(await r.zcard('board'), 100);
    assert.equal(await r.zrange('board', 0, 0, 'REV'), [sorted[0]![0]]);
    assert.equal(await r.zrange('board', '-inf', '+inf', 'BYSCORE', 'LIMIT', 0, 1), [sorted[99]![0]]);
    const popped = await r.zpopmax('board', 2);
    assert.equal(popped, sorted.slice(0, 2).flatMap(([m, sc]) => [m, String(sc)]));
  });

  s('ZSCAN walks a large set completely while it changes', async () => {
    await r.del('big');
    const members = Array.from({ length: 1000 }, (_, i) => `m${i}`);
    await r.zadd('big', ...members.flatMap((m, i) => [i, m]));
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = await r.zscan('big', cursor, 'COUNT', 50);
      for (let i = 0; i < items.length; i += 2) seen.add(items[i]!);
      if (calls === 3) await r.zadd('big', 5000, 'late'); // added mid-scan: may or may not be seen
      if (calls === 4) await r.zrem('big', 'm999'); // removed mid-scan: may or may not be seen
      cursor = next;
      calls++;
    } while (cursor !== '0' && calls < 1000);
    assert.is(cursor, '0');
    for (const m of members.slice(0, 999)) assert.ok(seen.has(m), m);
    assert.ok(calls > 10);
  });

  s('a store locator: nearest shops by radius and box, distances, positions', async () => {
    await r.del('shops', 'near');
    const shops: Array<[number, number, string]> = [
      [2.2945, 48.8584, 'eiffel'], [2.3376, 48.8606, 'louvre'], [2.3499, 48.853, 'notre-dame'],
      [2.2950, 48.8738, 'arc'], [2.3522, 48.8566, 'hotel-de-ville'], [2.1204, 48.8049, 'versailles'], [-0.1276, 51.5072, 'london'],
    ];
    assert.is(await r.geoadd('shops', ...shops.flat()), shops.length);
    const near = (await r.geosearch('shops', 'FROMLONLAT', 2.3376, 48.8606, 'BYRADIUS', 3, 'km', 'ASC', 'WITHDIST')) as Array<[string, string]>;
    assert.equal(near, [['louvre', '0.0001'], ['hotel-de-ville', '1.1572'], ['notre-dame', '1.2349']]); // as redis-server answers
    const box = await r.geosearch('shops', 'FROMMEMBER', 'eiffel', 'BYBOX', 40, 40, 'km', 'ASC', 'COUNT', 3);
    assert.equal(box, ['eiffel', 'arc', 'louvre']);
    assert.is(await r.geodist('shops', 'eiffel', 'london', 'KM'), '341.3607');
    const [pos] = (await r.geopos('shops', 'eiffel')) as Array<[string, string]>;
    assert.ok(Math.abs(Number(pos![0]) - 2.2945) < 1e-5 && Math.abs(Number(pos![1]) - 48.8584) < 1e-5);
    assert.equal(await r.geohash('shops', 'eiffel'), ['u09tunquc90']);
    assert.is(await r.geosearchstore('near', 'shops', 'FROMMEMBER', 'louvre', 'BYRADIUS', 1, 'km', 'STOREDIST'), 1);
    assert.equal(await r.zrange('near', 0, -1), ['louvre']);
    const withCoords = (await r.georadiusbymember('shops', 'versailles', 20, 'km', 'WITHCOORD', 'ASC')) as Array<[string, [string, string]]>;
    assert.equal(withCoords.map(([m]) => m), ['versailles', 'eiffel', 'arc', 'louvre', 'notre-dame', 'hotel-de-ville']);
    assert.is(withCoords[1]![1].length, 2);
  });

  s.run();
}
