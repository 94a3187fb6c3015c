/*
 * OBJECT IDLETIME and OBJECT FREQ answered from the access clock in each record's header:
 * over a real socket with a fake clock (idle seconds, which commands touch, LFU counting and
 * decay), and the deterministic part of LFU against redis-server (a new key counts 5, its first
 * access makes it 6, EXISTS/TYPE/TTL do not count).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../src/engine/clock.js';
import { differentialSuite } from './differential.js';
import { RawClient, startKv } from './harness.js';

test('IDLETIME follows the fake clock; reads and writes touch, TYPE/TTL/EXISTS/OBJECT do not', async () => {
  const clock = new FakeClock();
  const kv = await startKv({}, clock);
  const c = await RawClient.connect(kv.port);
  try {
    assert.is(await c.call('SET', 'k', 'v'), '+OK\r\n');
    assert.is(await c.call('SET', 'other', 'w'), '+OK\r\n');
    clock.advance(42_000);
    assert.is(await c.call('OBJECT', 'IDLETIME', 'k'), ':42\r\n');
    for (const cmd of [['TYPE', 'k'], ['TTL', 'k'], ['EXISTS', 'k'], ['OBJECT', 'ENCODING', 'k']]) await c.call(...cmd);
    assert.is(await c.call('OBJECT', 'IDLETIME', 'k'), ':42\r\n');
    assert.is(await c.call('GET', 'k'), '$1\r\nv\r\n');
    assert.is(await c.call('OBJECT', 'IDLETIME', 'k'), ':0\r\n');
    assert.is(await c.call('OBJECT', 'IDLETIME', 'other'), ':42\r\n');
    clock.advance(3_000);
    assert.is(await c.call('APPEND', 'other', 'x'), ':2\r\n');
    assert.is(await c.call('OBJECT', 'IDLETIME', 'other'), ':0\r\n');
    assert.is(await c.call('OBJECT', 'IDLETIME', 'k'), ':3\r\n');
    // TOUCH touches; RENAME carries the value to a new record
    clock.advance(7_000);
    assert.is(await c.call('TOUCH', 'k'), ':1\r\n');
    assert.is(await c.call('OBJECT', 'IDLETIME', 'k'), ':0\r\n');
    // LFU: counter from 5, decaying one per lfu-decay-time minutes
    assert.is(await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'), '+OK\r\n');
    assert.is(await c.call('SET', 'f', 'v'), '+OK\r\n');
    assert.is(await c.call('OBJECT', 'FREQ', 'f'), ':5\r\n');
    assert.is(await c.call('GET', 'f'), '$1\r\nv\r\n');
    assert.is(await c.call('OBJECT', 'FREQ', 'f'), ':6\r\n');
    clock.advance(4 * 60_000);
    assert.is(await c.call('OBJECT', 'FREQ', 'f'), ':2\r\n');
    assert.is(await c.call('CONFIG', 'SET', 'lfu-decay-time', '2'), '+OK\r\n');
    assert.is(await c.call('OBJECT', 'FREQ', 'f'), ':4\r\n');
    assert.is(await c.call('CONFIG', 'SET', 'lfu-decay-time', '0'), '+OK\r\n');
    assert.is(await c.call('OBJECT', 'FREQ', 'f'), ':6\r\n');
    assert.match(await c.call('OBJECT', 'IDLETIME', 'f'), /^-ERR An LFU maxmemory policy is selected/);
  } finally {
    c.close();
    await kv.stop();
  }
});

differentialSuite('differential: access clock', {
  'LFU counter of a new key and its first access': [
    ['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'], ['SET', 'a', 'x'], ['OBJECT', 'FREQ', 'a'],
    ['EXISTS', 'a'], ['TYPE', 'a'], ['TTL', 'a'], ['OBJECT', 'FREQ', 'a'], ['GET', 'a'], ['OBJECT', 'FREQ', 'a'],
    ['OBJECT', 'IDLETIME', 'a'], ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction'], ['OBJECT', 'FREQ', 'a'],
  ],
});

test.run();
