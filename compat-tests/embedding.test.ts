/*
 * The embedding API (`import { startServer } from 'kv-server'`): options in both spellings, the
 * url, two servers in one process sharing nothing, close() leaving nothing behind — and the
 * README's node:test example run under `node --test`, which must exit by itself.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, parameterName } from '../src/index.js';
import { RawClient } from './harness.js';

test('option names: camelCase and redis.conf spellings', () => {
  assert.is(parameterName('notifyKeyspaceEvents'), 'notify-keyspace-events');
  assert.is(parameterName('maxmemory-policy'), 'maxmemory-policy');
  assert.is(parameterName('port'), 'port');
});

test('startServer resolves once it accepts connections, with host, port and url', async () => {
  const t0 = performance.now();
  const server = await startServer({ requirepass: 'p@ss', hz: 20, protectedMode: true });
  const c = await RawClient.connect(server.port);
  assert.is(await c.call('AUTH', 'p@ss'), '+OK\r\n');
  assert.is(await c.call('PING'), '+PONG\r\n');
  const elapsed = performance.now() - t0;
  assert.is(server.host, '127.0.0.1');
  assert.is(server.url, `redis://:p%40ss@127.0.0.1:${server.port}`);
  assert.is(await c.call('CONFIG', 'GET', 'hz'), '*2\r\n$2\r\nhz\r\n$2\r\n20\r\n');
  c.close();
  await server.close();
  assert.ok(elapsed < 2000, `first PONG after ${elapsed} ms`);
});

test('two servers in one process keep separate keyspaces', async () => {
  const [a, b] = await Promise.all([startServer(), startServer({ databases: 2 })]);
  try {
    const ca = await RawClient.connect(a.port);
    const cb = await RawClient.connect(b.port);
    await ca.call('SET', 'k', 'a');
    assert.is(await cb.call('GET', 'k'), '$-1\r\n');
    assert.is(await cb.call('SELECT', '3'), '-ERR DB index is out of range\r\n');
    assert.is(await ca.call('SELECT', '3'), '+OK\r\n');
    ca.close();
    cb.close();
  } finally {
    await a.close();
    await b.close();
  }
});

test('close() ends every client connection', async () => {
  const server = await startServer();
  const c = await RawClient.connect(server.port);
  assert.is(await c.call('PING'), '+PONG\r\n');
  await server.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(c.closed, 'client socket closed by the server');
  await RawClient.connect(server.port).then(
    (x) => {
      x.close();
      assert.unreachable('the port still accepts connections');
    },
    () => {},
  );
});

test('close() resolves even when a client never reads its replies', async () => {
  const server = await startServer();
  // a raw socket that sends many GETs of a large value and never reads: the server's write
  // waits on the socket, and close() must not wait for it forever
  const sock = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.pause();
  const c = await RawClient.connect(server.port);
  assert.is(await c.call('SET', 'big', 'x'.repeat(1 << 20)), '+OK\r\n');
  sock.write('GET big\r\n'.repeat(64));
  await new Promise((r) => setTimeout(r, 200));
  c.close();
  const t0 = performance.now();
  await server.close();
  assert.ok(performance.now() - t0 < 5_000, `close() took ${(performance.now() - t0).toFixed(0)} ms`);
  // reading now, the client finds its connection gone
  const ended = new Promise((r) => sock.once('close', r));
  sock.on('error', () => {});
  sock.resume();
  assert.ok(await Promise.race([ended.then(() => true), new Promise((r) => setTimeout(() => r(false), 2_000))]), 'the connection was closed');
});

test('a bad option is refused with its name', async () => {
  try {
    await startServer({ databases: 'many' });
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.match((e as Error).message, /invalid option databases 'many'/);
  }
});

test("the README's node:test example passes and its process exits by itself", () => {
  const file = fileURLToPath(new URL('./embedding/node-test-example.mjs', import.meta.url));
  const r = spawnSync(process.execPath, ['--test', file], { encoding: 'utf8', timeout: 30_000 });
  assert.is(r.signal, null, `killed (${r.signal}): the process did not exit by itself\n${r.stdout}${r.stderr}`);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /# pass 2/);
});

test.run();
