/*
 * Memory accounting through the hash and set commands, which edit their values in place: the
 * keyspace's byte count must always equal the sum over its entries (each value's own count, as
 * sizeOf reports it), and return to zero once every key is gone — across encoding conversions,
 * SPOP's rebuilds and the STORE forms.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RawClient, startKv } from './harness.js';
import { sizeOf } from '../src/engine/values.js';
import type { Database } from '../src/engine/keyspace.js';

const ENTRY_OVERHEAD = 48; // as in engine/keyspace.ts

function recount(db: Database): number {
  let n = 0;
  for (const shard of db.shards) for (const [k, v] of shard.data) n += sizeOf(v) + ENTRY_OVERHEAD + k.length;
  return n;
}

test('byte accounting follows every hash and set write', async () => {
  const kv = await startKv({ 'hash-max-listpack-entries': '4', 'set-max-intset-entries': '4' });
  const c = await RawClient.connect(kv.port);
  try {
    const db = kv.context.keyspace.dbs[0]!;
    const steps: string[][] = [
      ['HSET', 'h', 'a', '1', 'b', '2'], ['HSET', 'h', 'a', 'longer'], ['HSETNX', 'h', 'c', '3'], ['HMSET', 'h', 'd', '4', 'e', '5'], ['HDEL', 'h', 'a'],
      ['HINCRBY', 'h', 'n', '100'], ['HINCRBYFLOAT', 'h', 'n', '0.5'], ['HSET', 'h2', 'x', 'y'.repeat(100)], ['HDEL', 'h2', 'x'], ['HINCRBY', 'h3', 'z', '1'],
      ['SADD', 's', '1', '2', '3'], ['SADD', 's', '4', '5'], ['SREM', 's', '1'], ['SADD', 't', 'a', 'b', '1'], ['SPOP', 't'], ['SPOP', 's', '2'],
      ['SADD', 'u', ...Array.from({ length: 20 }, (_, i) => `m${i}`)], ['SPOP', 'u', '18'], ['SMOVE', 's', 'v', '3'], ['SMOVE', 'u', 's', 'm19'],
      ['SINTERSTORE', 'w', 's', 'u'], ['SUNIONSTORE', 'w', 's', 'u', 't'], ['SDIFFSTORE', 'w', 's', 'nokey'], ['COPY', 'w', 'w2'], ['SADD', 'w2', 'q'], ['COPY', 'h', 'h4'], ['HSET', 'h4', 'q', 'r'],
    ];
    for (const step of steps) {
      await c.call(...step);
      assert.is(db.bytes, recount(db), step.join(' ').slice(0, 60));
    }
    await c.call('DEL', 'h', 'h3', 'h4', 's', 't', 'u', 'v', 'w', 'w2');
    assert.is(await c.call('DBSIZE'), ':0\r\n');
    assert.is(db.bytes, 0);
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
