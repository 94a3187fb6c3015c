/*
 * Memory accounting of lists: after any sequence of writes the shard's byte count is the sum of
 * its keys' sizes (LIST.size), in both forms (packed listpack, quicklist object), through pushes,
 * pops with and without a count, moves, trims and removals — and a list drained by its pops
 * gives back every byte it was counted for.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startKv, RawClient } from '../../compat-tests/harness.js';
import { sizeOf } from '../engine/values.js';

/** keyspace.ts's per-key overhead in the shard byte counts */
const ENTRY_OVERHEAD = 48;

async function withServer(fn: (c: RawClient, counted: () => number, held: () => number) => Promise<void>): Promise<void> {
  // a node of 4 entries at most: 5 elements make a quicklist
  const kv = await startKv({ 'list-max-listpack-size': '4' });
  const c = await RawClient.connect(kv.port);
  const db = kv.context.keyspace.dbs[0]!;
  /** what the shards count */
  const counted = () => db.shards.reduce((n, s) => n + s.bytes, 0);
  /** what the values they hold are worth */
  const held = () => {
    let bytes = 0;
    for (const shard of db.shards) for (const [k, v] of shard.data) bytes += sizeOf(v) + k.length + ENTRY_OVERHEAD;
    return bytes;
  };
  try {
    await fn(c, counted, held);
  } finally {
    c.close();
    await kv.stop();
  }
}

const elements = (n: number, prefix = 'element-'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('a quicklist drained by LPOP/RPOP with a count gives back its bytes', async () => {
  await withServer(async (c, counted) => {
    const baseline = counted();
    for (const pop of ['LPOP', 'RPOP']) {
      assert.is(await c.call('RPUSH', 'l', ...elements(50)), ':50\r\n');
      assert.is(await c.call('OBJECT', 'ENCODING', 'l'), '$9\r\nquicklist\r\n');
      assert.ok(counted() > baseline + 50 * 'element-'.length);
      // a partial pop first, then one that drains the list (the key goes)
      assert.ok((await c.call(pop, 'l', '10')).startsWith('*10\r\n'));
      assert.ok((await c.call(pop, 'l', '100')).startsWith('*40\r\n'));
      assert.is(await c.call('EXISTS', 'l'), ':0\r\n');
      assert.is(counted(), baseline, `${pop} with a count`);
    }
    // one element at a time, and LMPOP's count
    await c.call('RPUSH', 'l', ...elements(8));
    for (let i = 0; i < 8; i++) await c.call('LPOP', 'l');
    assert.is(counted(), baseline, 'LPOP one by one');
    await c.call('RPUSH', 'l', ...elements(8));
    await c.call('LMPOP', '1', 'l', 'RIGHT', 'COUNT', '20');
    assert.is(counted(), baseline, 'LMPOP');
  });
});

test('shard bytes stay equal to the sizes of the lists held', async () => {
  await withServer(async (c, counted, held) => {
    const overhead = counted() - held();
    const script: string[][] = [
      ['RPUSH', 'a', ...elements(3)], ['LPUSH', 'a', ...elements(6, 'head-')], ['RPOP', 'a', '2'], ['LSET', 'a', '0', 'x'.repeat(100)],
      ['LINSERT', 'a', 'BEFORE', 'x'.repeat(100), 'pivot'], ['LREM', 'a', '0', 'pivot'], ['LTRIM', 'a', '1', '-2'],
      ['RPUSH', 'b', ...elements(20)], ['LMOVE', 'b', 'c', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'c', 'b'], ['LTRIM', 'b', '5', '2'],
      ['RPUSH', 'd', ...elements(30)], ['BLPOP', 'd', '0'], ['BRPOP', 'd', '0'], ['BLMPOP', '0', '1', 'd', 'LEFT', 'COUNT', '100'],
      ['RPUSH', 'e', ...elements(9)], ['LPOP', 'e', '9'], ['DEL', 'a'],
    ];
    for (const cmd of script) {
      await c.call(...cmd);
      assert.is(counted() - held(), overhead, cmd.join(' ').slice(0, 60));
    }
  });
});

test.run();
