/*
 * Bitmaps, HyperLogLog and LCS against keys of another type, and HyperLogLogs carried between
 * servers. No list/hash type exists on this branch yet, so kv-server gets a stand-in value of
 * another kind (as errors-catalogue.test.ts does) while redis-server gets a list; the replies
 * must be the same bytes. Then HyperLogLogs built by redis-server are copied with GET/SET into
 * kv-server (and back) and must count the same on both.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningServer } from '../src/server/app.js';
import { decodeReply, RawClient, startKv, startRedis, type RealRedis } from './harness.js';

class OtherType {
  readonly kind = { name: 'list' as const, encoding: () => 'other', size: () => 8, copy: (v: OtherType) => v };
}

let kv: RunningServer;
let redis: RealRedis | null = null;

test.before(async () => {
  kv = await startKv();
  redis = await startRedis();
});
test.after(async () => {
  await kv?.stop();
  await redis?.stop();
});

const WRONGTYPE_SCRIPTS: string[][] = [
  ['SETBIT', 'other', '0', '1'], ['GETBIT', 'other', '0'], ['BITCOUNT', 'other'], ['BITCOUNT', 'other', 'x'], ['BITPOS', 'other', '1'], ['BITPOS', 'other', '1', 'x'],
  ['BITOP', 'AND', 'd', 's', 'other'], ['BITOP', 'OR', 'other', 's'], ['GET', 'other'], ['BITFIELD', 'other', 'GET', 'u8', '0'], ['BITFIELD', 'other', 'SET', 'u8', '0', '1'],
  ['BITFIELD', 'other'], ['BITFIELD_RO', 'other', 'GET', 'u8', '0'], ['BITFIELD_RO', 'other', 'SET', 'u8', '0', '1'], ['BITFIELD', 'other', 'GET', 'u99', '0'],
  ['PFADD', 'other', 'a'], ['PFADD', 'other'], ['PFCOUNT', 'other'], ['PFCOUNT', 'h', 'other'], ['PFMERGE', 'other', 'h'], ['PFMERGE', 'h', 'other'], ['PFMERGE', 'missing', 'other'],
  ['EXISTS', 'missing'], ['PFDEBUG', 'GETREG', 'other'], ['LCS', 'other', 's'], ['LCS', 's', 'other'], ['LCS', 'other', 'missing', 'FOO'], ['LCS', 's', 's', 'IDX'],
];

test('every command answers a key of another type as Redis does', async () => {
  if (!redis) return;
  kv.context.keyspace.dbs[0]!.set('other', new OtherType() as never);
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(redis.port);
  try {
    await b.call('DEL', 'other');
    await b.call('RPUSH', 'other', 'x');
    for (const c of [a, b]) {
      await c.call('SET', 's', 'text');
      await c.call('PFADD', 'h', 'a', 'b');
    }
    for (const cmd of WRONGTYPE_SCRIPTS) {
      const [got, want] = await Promise.all([a.call(...cmd), b.call(...cmd)]);
      assert.is(JSON.stringify(got), JSON.stringify(want), cmd.join(' '));
    }
  } finally {
    a.close();
    b.close();
  }
});

/** The bytes of a bulk reply. */
function bulkBytes(raw: string): Buffer {
  const value = decodeReply(raw);
  assert.type(value, 'string');
  return Buffer.from(value as string, 'latin1');
}

test('HyperLogLogs copied from redis-server count the same here, and back', async () => {
  if (!redis) return;
  const a = await RawClient.connect(kv.port);
  const b = await RawClient.connect(redis.port);
  try {
    for (const size of [1, 50, 700, 2500, 20000]) {
      const key = `copy${size}`;
      for (let i = 0; i < size; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, size - i) }, (_, j) => `member-${size}-${i + j}`);
        await b.call('PFADD', key, ...batch);
      }
      // stale cache as PFADD leaves it: kv-server counts from the registers
      const fromRedis = bulkBytes(await b.call('GET', key));
      assert.is(await a.call('SET', key, fromRedis), '+OK\r\n');
      const want = await b.call('PFCOUNT', key);
      assert.is(await a.call('PFCOUNT', key), want, `PFCOUNT ${key}`);
      // both now hold the count cached in the same bytes
      assert.is(JSON.stringify(await a.call('GET', key)), JSON.stringify(await b.call('GET', key)), `GET ${key}`);
      // more elements on kv-server, then back into redis-server
      await a.call('PFADD', key, 'extra-1', 'extra-2', 'extra-3');
      await b.call('PFADD', key, 'extra-1', 'extra-2', 'extra-3');
      assert.is(JSON.stringify(await a.call('GET', key)), JSON.stringify(await b.call('GET', key)), `GET ${key} after PFADD`);
      const fromKv = bulkBytes(await a.call('GET', key));
      await b.call('SET', `${key}:back`, fromKv);
      assert.is(await a.call('PFCOUNT', key), await b.call('PFCOUNT', `${key}:back`), `PFCOUNT ${key}:back`);
    }
  } finally {
    a.close();
    b.close();
  }
});

test.run();
