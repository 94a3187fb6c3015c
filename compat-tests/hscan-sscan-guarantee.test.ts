/*
 * HSCAN, SSCAN and ZSCAN over the network keep SCAN's guarantee while the collection changes between
 * calls: every element present from the first call to the last is returned at least once, the
 * cursor ends at 0, and no call returns more than COUNT elements of a hashtable. (Redis's
 * cursors differ, so this is kv-server's own test; the algorithm's unit test is
 * src/engine/collection-scan.test.ts.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis } from 'ioredis';
import { startKv } from './harness.js';

test('HSCAN, SSCAN and ZSCAN under concurrent inserts and deletes', async () => {
  const kv = await startKv({ 'hash-max-listpack-entries': '16', 'set-max-intset-entries': '16', 'zset-max-listpack-entries': '16' });
  const r = new Redis({ port: kv.port, host: '127.0.0.1', lazyConnect: true });
  try {
    await r.connect();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const kind of ['hash', 'set', 'zset'] as const) {
      const key = `k:${kind}`;
      const all = Array.from({ length: 400 }, (_, i) => `e${i}`);
      if (kind === 'hash') await r.hset(key, Object.fromEntries(all.map((e) => [e, 'v'])));
      else if (kind === 'set') await r.sadd(key, ...all);
      else await r.zadd(key, ...all.flatMap((e, i) => [i % 7, e]));
      assert.is(await r.object('ENCODING', key), kind === 'zset' ? 'skiplist' : 'hashtable');
      const stable = all.filter((_, i) => i % 4 === 0);
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      let fresh = 0;
      do {
        const count = 1 + Math.floor(rnd() * 25);
        const [next, items] =
          kind === 'hash' ? await r.hscan(key, cursor, 'COUNT', count) : kind === 'set' ? await r.sscan(key, cursor, 'COUNT', count) : await r.zscan(key, cursor, 'COUNT', count);
        const elements = kind === 'set' ? items : items.filter((_, i) => i % 2 === 0);
        assert.ok(elements.length <= count, `${elements.length} > COUNT ${count}`);
        for (const e of elements) seen.add(e);
        cursor = next;
        // churn: delete some elements that are not stable, add new ones
        for (let k = 0; k < 8; k++) {
          const i = Math.floor(rnd() * 400);
          if (i % 4 !== 0) {
            if (kind === 'hash') await r.hdel(key, `e${i}`);
            else if (kind === 'set') await r.srem(key, `e${i}`);
            else await r.zrem(key, `e${i}`);
          }
          const added = `new${fresh++}`;
          if (kind === 'hash') await r.hset(key, added, 'v');
          else if (kind === 'set') await r.sadd(key, added);
          else await r.zadd(key, fresh % 5, added);
        }
        calls++;
      } while (cursor !== '0' && calls < 5000);
      assert.is(cursor, '0');
      for (const e of stable) assert.ok(seen.has(e), `${kind}: ${e} never returned`);
    }
  } finally {
    r.disconnect();
    await kv.stop();
  }
});

test('a small collection comes whole with cursor 0', async () => {
  const kv = await startKv();
  const r = new Redis({ port: kv.port, host: '127.0.0.1', lazyConnect: true });
  try {
    await r.connect();
    await r.hset('h', { a: '1', b: '2', c: '3' });
    await r.sadd('s', '3', '1', '2');
    assert.equal(await r.hscan('h', '99', 'COUNT', '1'), ['0', ['a', '1', 'b', '2', 'c', '3']]);
    assert.equal(await r.sscan('s', '5', 'COUNT', '1'), ['0', ['1', '2', '3']]);
  } finally {
    r.disconnect();
    await kv.stop();
  }
});

test.run();
