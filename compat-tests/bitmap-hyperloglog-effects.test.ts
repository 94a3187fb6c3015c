/*
 * What the bitmap and HyperLogLog commands propagate and notify, as Redis does: a write that
 * changes nothing (SETBIT of a bit already set, PFADD of elements already counted, BITFIELD with
 * GETs only, BITOP with an empty result and no destination) propagates nothing and fires no
 * event; PFCOUNT propagates when it refreshes the cached count and not when it answers from it;
 * the events are 'setbit' (SETBIT, BITFIELD), 'set'/'del' (BITOP) and 'pfadd' (PFADD, PFMERGE).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningServer } from '../src/server/app.js';
import { RawClient, startKv } from './harness.js';

let kv: RunningServer;
let c: RawClient;
const effects: string[] = [];
const events: string[] = [];

test.before(async () => {
  kv = await startKv();
  kv.context.effects = (_db, argv) => effects.push(argv.join(' '));
  kv.context.notifier = (cls, event, key) => events.push(`${cls} ${event} ${key}`);
  c = await RawClient.connect(kv.port);
});
test.after(async () => {
  c.close();
  await kv.stop();
});

/** Runs `cmd` and returns [reply, effects, events] it caused. */
async function run(...cmd: string[]): Promise<[string, string[], string[]]> {
  effects.length = 0;
  events.length = 0;
  const reply = await c.call(...cmd);
  return [reply, [...effects], [...events]];
}

test('SETBIT propagates and notifies only when it writes', async () => {
  assert.equal(await run('SETBIT', 'b', '7', '1'), [':0\r\n', ['SETBIT b 7 1'], ['$ setbit b']]);
  assert.equal(await run('SETBIT', 'b', '7', '1'), [':1\r\n', [], []]);
  assert.equal(await run('SETBIT', 'b', '6', '0'), [':0\r\n', [], []]);
  // growing the string is a write even when the bit stays 0
  assert.equal(await run('SETBIT', 'b', '100', '0'), [':0\r\n', ['SETBIT b 100 0'], ['$ setbit b']]);
  assert.equal(await run('SETBIT', 'new', '0', '0'), [':0\r\n', ['SETBIT new 0 0'], ['$ setbit new']]);
  assert.equal(await run('GETBIT', 'b', '7'), [':1\r\n', [], []]);
});

test('BITFIELD: writes propagate with one setbit event, reads do nothing', async () => {
  assert.equal(await run('BITFIELD', 'f', 'SET', 'u8', '0', '5', 'INCRBY', 'u8', '0', '1'), ['*2\r\n:0\r\n:6\r\n', ['BITFIELD f SET u8 0 5 INCRBY u8 0 1'], ['$ setbit f']]);
  assert.equal(await run('BITFIELD', 'f', 'GET', 'u8', '0'), ['*1\r\n:6\r\n', [], []]);
  assert.equal(await run('BITFIELD_RO', 'f', 'GET', 'u8', '0'), ['*1\r\n:6\r\n', [], []]);
});

test('BITOP: set, del, or nothing', async () => {
  assert.equal(await run('BITOP', 'NOT', 'd', 'b'), [':13\r\n', ['BITOP NOT d b'], ['$ set d']]);
  assert.equal(await run('BITOP', 'AND', 'd', 'missing'), [':0\r\n', ['BITOP AND d missing'], ['g del d']]);
  assert.equal(await run('BITOP', 'AND', 'd', 'missing'), [':0\r\n', [], []]);
});

test('PFADD, PFCOUNT and PFMERGE', async () => {
  assert.equal(await run('PFADD', 'h', 'a', 'b'), [':1\r\n', ['PFADD h a b'], ['$ pfadd h']]);
  assert.equal(await run('PFADD', 'h', 'a'), [':0\r\n', [], []]);
  // the first count refreshes the cache (a change to the key, propagated); the second reads it
  assert.equal(await run('PFCOUNT', 'h'), [':2\r\n', ['PFCOUNT h'], []]);
  assert.equal(await run('PFCOUNT', 'h'), [':2\r\n', [], []]);
  assert.equal(await run('PFCOUNT', 'h', 'missing'), [':2\r\n', [], []]);
  assert.equal(await run('PFMERGE', 'm', 'h'), ['+OK\r\n', ['PFMERGE m h'], ['$ pfadd m']]);
  assert.equal(await run('PFADD', 'empty'), [':1\r\n', ['PFADD empty'], ['$ pfadd empty']]);
});

test.run();
