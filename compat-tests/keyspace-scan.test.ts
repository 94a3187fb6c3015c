/*
 * SCAN over real sockets: a full scan with keys added and deleted between calls (from another
 * connection) returns every key present throughout, ends at cursor "0", and replies no more
 * than COUNT keys per call; the same scan against redis-server finds the same stable keys.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeReply, RawClient, startKv, startRedis } from './harness.js';

/** Parses a SCAN reply: [cursor, keys]. */
function parseScan(raw: string): { cursor: string; keys: string[] } {
  const reply = decodeReply(raw);
  assert.ok(Array.isArray(reply) && reply.length === 2, raw.slice(0, 80));
  const [cursor, keys] = reply as [string, string[]];
  return { cursor, keys };
}

async function scanWhileChanging(port: number, count: number): Promise<{ seen: Set<string>; maxReply: number; calls: number }> {
  const a = await RawClient.connect(port);
  const b = await RawClient.connect(port);
  try {
    await a.call('FLUSHALL');
    for (let i = 0; i < 600; i++) await b.call('SET', `stable:${i}\x00\xff`, 'v');
    for (let i = 0; i < 300; i++) await b.call('SET', `gone:${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    let maxReply = 0;
    do {
      const r = parseScan(await a.call('SCAN', cursor, 'COUNT', String(count)));
      cursor = r.cursor;
      assert.match(cursor, /^\d+$/);
      for (const k of r.keys) seen.add(k);
      maxReply = Math.max(maxReply, r.keys.length);
      calls++;
      for (let j = 0; j < 5; j++) await b.call('DEL', `gone:${(calls * 5 + j) % 300}`);
      for (let j = 0; j < 5; j++) await b.call('SET', `new:${calls}:${j}`, 'v');
      assert.ok(calls < 5000, 'scan must end');
    } while (cursor !== '0');
    return { seen, maxReply, calls };
  } finally {
    a.close();
    b.close();
  }
}

test('SCAN returns every stable key while others come and go, within COUNT per call', async () => {
  const kv = await startKv();
  const redis = await startRedis();
  try {
    const ours = await scanWhileChanging(kv.port, 7);
    for (let i = 0; i < 600; i++) assert.ok(ours.seen.has(`stable:${i}\x00\xff`), `kv-server missed stable:${i}`);
    assert.ok(ours.maxReply <= 7, `a reply held ${ours.maxReply} keys for COUNT 7`);
    if (redis) {
      const theirs = await scanWhileChanging(redis.port, 7);
      for (let i = 0; i < 600; i++) assert.ok(theirs.seen.has(`stable:${i}\x00\xff`));
    }
  } finally {
    await kv.stop();
    await redis?.stop();
  }
});

test.run();
