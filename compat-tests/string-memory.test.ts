/*
 * Memory accounting through the string commands that change values in place (APPEND,
 * SETRANGE) or replace them (INCR, INCRBYFLOAT, GETEX …): the keyspace's byte count must always
 * equal the sum over its entries, and return to zero once every key is gone.
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

test('byte accounting follows APPEND, SETRANGE and replacing writes', async () => {
  const kv = await startKv();
  const c = await RawClient.connect(kv.port);
  try {
    const db = kv.context.keyspace.dbs[0]!;
    const steps: string[][] = [
      ['SET', 'a', '12'], ['APPEND', 'a', '345'], ['INCR', 'a'], ['APPEND', 'a', 'x'.repeat(100)],
      ...Array.from({ length: 30 }, (_, i) => ['APPEND', 'a', 'y'.repeat(i * 13)]),
      ['SETRANGE', 'b', '5000', 'z'], ['SETRANGE', 'b', '0', 'w'.repeat(20000)], ['SETRANGE', 'b', '1', 'v'], ['APPEND', 'b', 'tail'],
      ['SET', 'c', 'v', 'EX', '100'], ['SETRANGE', 'c', '3', 'grow'], ['GETEX', 'c', 'PERSIST'], ['INCRBYFLOAT', 'd', '1.5'], ['INCRBYFLOAT', 'd', '1e300'],
      ['MSET', 'e', '1', 'f', 'x'.repeat(50)], ['GETSET', 'e', 'longer value'], ['INCRBY', 'g', '9007199254740993'], ['GETDEL', 'f'],
    ];
    for (const step of steps) {
      await c.call(...step);
      assert.is(db.bytes, recount(db), step.join(' ').slice(0, 60));
    }
    assert.is(await c.call('STRLEN', 'b'), ':20004\r\n');
    await c.call('DEL', 'a', 'b', 'c', 'd', 'e', 'g');
    assert.is(await c.call('DBSIZE'), ':0\r\n');
    assert.is(db.bytes, 0);
  } finally {
    c.close();
    await kv.stop();
  }
});

test.run();
