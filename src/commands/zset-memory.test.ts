/*
 * Memory accounting of sorted sets: after any sequence of writes the shard's byte count is the
 * sum of its keys' sizes (ZSET.size), through conversions, removals, pops and deletions.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startKv, RawClient } from '../../compat-tests/harness.js';
import { sizeOf } from '../engine/values.js';

/** keyspace.ts's per-key overhead in the shard byte counts */
const ENTRY_OVERHEAD = 48;

test('shard bytes stay equal to the sizes of the values held', async () => {
  const kv = await startKv({ 'zset-max-listpack-entries': '8' });
  const c = await RawClient.connect(kv.port);
  const db = kv.context.keyspace.dbs[0]!;
  const recount = () => {
    let bytes = 0;
    for (const shard of db.shards) for (const [k, v] of shard.data) bytes += sizeOf(v) + k.length + ENTRY_OVERHEAD;
    return bytes;
  };
  const base = () => db.shards.reduce((n, s) => n + s.bytes, 0) - recount();
  const overhead = base();
  const script: string[][] = [
    ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'z', '3', 'c', '4', 'd', '5', 'e', '6', 'f', '7', 'g', '8', 'h', '9', 'i'], ['ZINCRBY', 'z', '1', 'a'],
    ['ZREM', 'z', 'a', 'b'], ['ZPOPMIN', 'z', '2'], ['ZREMRANGEBYRANK', 'z', '0', '1'], ['ZUNIONSTORE', 'u', '1', 'z'], ['ZPOPMAX', 'z', '100'],
    ['ZADD', 'y', '1', 'x'], ['ZMPOP', '1', 'y', 'MIN'], ['GEOADD', 'g', '1', '1', 'p', '2', '2', 'q'], ['GEOSEARCHSTORE', 'gs', 'g', 'FROMMEMBER', 'p', 'BYRADIUS', '500', 'km'],
    ['ZREMRANGEBYSCORE', 'u', '-inf', '+inf'], ['ZRANGESTORE', 'r', 'g', '0', '-1'], ['DEL', 'g'],
  ];
  try {
    for (const cmd of script) {
      await c.call(...cmd);
      assert.is(base(), overhead, cmd.join(' '));
    }
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
