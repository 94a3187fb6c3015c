/*
 * A session store as applications write one with ioredis (5: RESP2, 6: RESP3): a hash per
 * session (HSET with an object, HGETALL back into an object, HINCRBY a counter), a TTL refreshed
 * on each access (EXPIRE), sessions indexed per user in a set (SADD/SMEMBERS/SREM), and a
 * logout that deletes them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { startKv } from './harness.js';

for (const [label, Redis] of [['ioredis 5', Redis5], ['ioredis 6', Redis6]] as const) {
  test(`${label}: sessions in hashes with a TTL, indexed by user in sets`, async () => {
    const kv = await startKv();
    const r = new (Redis as typeof Redis5)({ port: kv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await r.connect();
      const sessions: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = `sess:${i}`;
        sessions.push(id);
        await r.hset(id, { user: i % 2 === 0 ? 'alice' : 'bob', created: String(1700000000 + i), csrf: `tok\u00e9n-${i}`, hits: '0' });
        await r.expire(id, 1800);
        await r.sadd(`user:${i % 2 === 0 ? 'alice' : 'bob'}:sessions`, id);
      }
      // an access: read the session, count it, refresh its TTL (pipelined, as a middleware does)
      const [[, session], [, hits], [, refreshed]] = (await r.pipeline().hgetall('sess:2').hincrby('sess:2', 'hits', 1).expire('sess:2', 1800).exec())!;
      void session;
      assert.is(hits, 1);
      assert.is(refreshed, 1);
      assert.equal(await r.hgetall('sess:2'), { user: 'alice', created: '1700000002', csrf: 'tok\u00e9n-2', hits: '1' });
      assert.ok((await r.ttl('sess:2')) > 1790);
      assert.equal(await r.hmget('sess:2', 'user', 'missing'), ['alice', null]);
      assert.equal((await r.smembers('user:alice:sessions')).sort(), ['sess:0', 'sess:2', 'sess:4']);
      assert.is(await r.sismember('user:bob:sessions', 'sess:1'), 1);
      assert.equal(await r.hgetall('sess:none'), {});
      // logout everywhere for alice
      const ids = await r.smembers('user:alice:sessions');
      assert.is(await r.del(...ids, 'user:alice:sessions'), 4);
      assert.is(await r.exists('sess:0', 'sess:2', 'sess:4'), 0);
      assert.is(await r.scard('user:bob:sessions'), 2);
      await r.srem('user:bob:sessions', 'sess:1', 'sess:3');
      assert.is(await r.exists('user:bob:sessions'), 0);
      assert.is(await r.type('sess:1'), 'hash');
    } finally {
      r.disconnect();
      await kv.stop();
    }
  });
}

test.run();
