/*
 * CONFIG SET port / bind move the plain TCP listener, as Redis: the new address is listened on,
 * the old one no longer accepts, connected clients stay. A port that cannot be bound leaves the
 * old one listening. kv-server's own immutable parameters (shards, bin-port, bin-tls) accept
 * their current value only — so setting every parameter of CONFIG GET * to its own value, as
 * Redis's test suite does, succeeds for everything but Redis's immutable ones.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { RawClient, freePort, startKv } from './harness.js';

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('CONFIG SET port moves the listener; connected clients stay', async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    const old = kv.port;
    const port = await freePort();
    assert.is(await c.call('CONFIG', 'SET', 'port', String(port)), '+OK\r\n');
    await eventually('the new port accepts', async () => !(await refused(port)));
    await eventually('the old port stops accepting', () => refused(old));
    assert.is(await c.call('PING'), '+PONG\r\n');
    const d = await RawClient.connect(port);
    assert.is(await d.call('CONFIG', 'GET', 'port'), `*2\r\n$4\r\nport\r\n$${String(port).length}\r\n${port}\r\n`);
    // the same value again changes nothing (and does not try to bind the port a second time)
    assert.is(await d.call('CONFIG', 'SET', 'port', String(port)), '+OK\r\n');
    assert.is(await RawClient.connect(port).then((e) => e.call('PING')), '+PONG\r\n');
    c.close();
    d.close();
  } finally {
    await kv.stop();
  }
});

test('a port already in use leaves the old listener in place', async () => {
  const kv = await startKv();
  const blocker = net.createServer();
  const taken = await freePort();
  await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
  try {
    const c = await RawClient.connect(kv.port);
    await c.call('CONFIG', 'SET', 'port', String(taken));
    await new Promise((r) => setTimeout(r, 100));
    assert.is(await RawClient.connect(kv.port).then((e) => e.call('PING')), '+PONG\r\n');
    c.close();
  } finally {
    blocker.close();
    await kv.stop();
  }
});

test("kv-server's own immutable parameters take their current value only", async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    assert.is(await c.call('CONFIG', 'SET', 'shards', '256'), '+OK\r\n');
    assert.is(await c.call('CONFIG', 'SET', 'shards', '128'), "-ERR CONFIG SET failed (possibly related to argument 'shards') - can't set immutable config\r\n");
    assert.is(await c.call('CONFIG', 'SET', 'bin-tls', 'auto', 'bin-port', '0'), '+OK\r\n');
    // Redis's immutable parameters refuse even their current value, as Redis does
    assert.is(await c.call('CONFIG', 'SET', 'daemonize', 'no'), "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config\r\n");
    c.close();
  } finally {
    await kv.stop();
  }
});

test.run();
