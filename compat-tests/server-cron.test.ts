/*
 * Time over a real server: the server cron driven by a fake clock (idle clients are closed after
 * `timeout` seconds, MONITOR clients are not; keys that expire untouched are removed by the active
 * expiry cycle), and the clock reading a pipelined batch shares.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../src/engine/clock.js';
import { RawClient, startKv } from './harness.js';

/** Waits (real time, bounded) until `check` holds; the cron runs every 1000/hz ms. */
async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

test('timeout closes idle clients, not busy or MONITOR ones', async () => {
  const clock = new FakeClock();
  const kv = await startKv({ timeout: '10', hz: '50' }, clock);
  try {
    const idle = await RawClient.connect(kv.port);
    const busy = await RawClient.connect(kv.port);
    const monitor = await RawClient.connect(kv.port);
    assert.is(await idle.call('PING'), '+PONG\r\n');
    assert.is(await monitor.call('MONITOR'), '+OK\r\n');
    clock.advance(8_000);
    assert.is(await busy.call('PING'), '+PONG\r\n');
    clock.advance(3_000); // idle: 11 s without a command; busy: 3 s
    assert.ok(await eventually(() => idle.closed), 'the idle client is closed');
    assert.is(busy.closed, false);
    assert.is(monitor.closed, false);
    assert.is(await busy.call('PING'), '+PONG\r\n');
    busy.close();
    monitor.close();
  } finally {
    await kv.stop();
  }
});

test('timeout 0 never closes clients', async () => {
  const clock = new FakeClock();
  const kv = await startKv({ hz: '50' }, clock);
  try {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('PING'), '+PONG\r\n');
    clock.advance(365 * 24 * 3600 * 1000);
    await new Promise((r) => setTimeout(r, 100));
    assert.is(await c.call('PING'), '+PONG\r\n');
    c.close();
  } finally {
    await kv.stop();
  }
});

test('keys that expire and are never read again are removed by the cron', async () => {
  const clock = new FakeClock();
  const kv = await startKv({ hz: '50' }, clock);
  try {
    const c = await RawClient.connect(kv.port);
    for (let i = 0; i < 500; i++) c.write(`SET k${i} v PX 1000\r\n`);
    for (let i = 0; i < 500; i++) await c.readReply();
    await c.call('SET', 'keep', 'v');
    assert.is(await c.call('DBSIZE'), ':501\r\n');
    clock.advance(1001);
    assert.ok(await eventually(() => kv.context.keyspace.dbs[0]!.size === 1), 'expired keys removed without being read');
    assert.is(await c.call('DBSIZE'), ':1\r\n');
    c.close();
  } finally {
    await kv.stop();
  }
});

test('a pipelined command after a slow one sees the time after it (the clock is read again)', async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    // one write, so one socket read: SET and GET would share a clock reading if DEBUG SLEEP,
    // which is not `fast`, did not make the connection read the clock again
    c.write('SET k v PX 50\r\nDEBUG SLEEP 0.15\r\nGET k\r\n');
    assert.is(await c.readReply(), '+OK\r\n');
    assert.is(await c.readReply(), '+OK\r\n');
    assert.is(await c.readReply(), '$-1\r\n');
    c.close();
  } finally {
    await kv.stop();
  }
});

test.run();
