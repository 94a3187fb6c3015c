/*
 * Limits that protect the server from clients: maxclients (one more is refused with Redis's
 * exact error, as redis-server does), the idle `timeout` (subscribed and blocked clients exempt,
 * as Redis), `client-output-buffer-limit normal` (a client that never reads its replies is
 * disconnected before it can exhaust memory; the default `normal 0 0 0` means no limit) with its
 * hard and soft limits. Each attack leaves a healthy client working.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, startKv, startRedis } from '../harness.js';
import { connectPlain, spawnKv, type SocketClient } from './security-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('one client past maxclients is refused with "-ERR max number of clients reached", as redis-server', async () => {
  const kv = await startKv({ maxclients: '3' });
  const redis = await startRedis({ maxclients: '3' });
  try {
    for (const port of [kv.port, ...(redis ? [redis.port] : [])]) {
      const held: SocketClient[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await connectPlain(port);
        assert.is(await c.call('PING'), '+PONG\r\n');
        held.push(c);
      }
      const extra = await connectPlain(port);
      assert.is(await extra.readUntilClose(), '-ERR max number of clients reached\r\n', `port ${port}`);
      // the ones inside are unaffected, and a place freed is taken again
      assert.is(await held[0]!.call('PING'), '+PONG\r\n');
      held.pop()!.close();
      await sleep(100);
      const again = await connectPlain(port);
      assert.is(await again.call('PING'), '+PONG\r\n');
      again.close();
      for (const c of held) c.close();
      await sleep(100);
    }
  } finally {
    await kv.stop();
    await redis?.stop();
  }
});

test('idle timeout closes a silent client, not a subscribed or a blocked one, nor an active one', async () => {
  const kv = await startKv({ timeout: '1' });
  try {
    const idle = await connectPlain(kv.port);
    assert.is(await idle.call('PING'), '+PONG\r\n');
    const subscriber = await connectPlain(kv.port);
    await subscriber.call('SUBSCRIBE', 'news');
    const blocked = await connectPlain(kv.port);
    blocked.write(encodeCommand(['BLPOP', 'queue', '0']));
    const active = await connectPlain(kv.port);
    const deadline = Date.now() + 3500;
    while (Date.now() < deadline) {
      assert.is(await active.call('PING'), '+PONG\r\n');
      await sleep(200);
    }
    assert.is(idle.closed, true, 'the idle client is closed');
    assert.is(subscriber.closed, false, 'subscribers are exempt');
    assert.is(blocked.closed, false, 'blocked clients are exempt');
    assert.is(await active.call('RPUSH', 'queue', 'job'), ':1\r\n');
    assert.is(await blocked.readReply(), '*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n');
    for (const c of [subscriber, blocked, active]) c.close();
  } finally {
    await kv.stop();
  }
});

/** connected_clients of INFO (a paused client socket does not see the server hang up) */
async function connectedClients(admin: SocketClient): Promise<number> {
  admin.write(encodeCommand(['INFO', 'clients']));
  return Number(/connected_clients:(\d+)/.exec(await admin.readReply(15_000))![1]);
}

/** Sends `count` GETs of `key` without reading a reply; resolves once written or the server hung up. */
function floodGets(c: SocketClient, key: string, count: number): void {
  const one = encodeCommand(['GET', key]);
  const batch = Buffer.concat(Array.from({ length: 100 }, () => one));
  for (let i = 0; i < count / 100; i++) c.socket.write(batch);
}

test('client-output-buffer-limit normal hard limit: a client that never reads is disconnected, memory stays bounded', async () => {
  const kv = await spawnKv();
  try {
    const admin = await connectPlain(kv.port);
    assert.is(await admin.call('SET', 'big', 'x'.repeat(100_000)), '+OK\r\n');
    assert.is(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 4mb 0 0'), '+OK\r\n');
    const before = kv.rss();
    const greedy = await connectPlain(kv.port);
    greedy.socket.pause(); // never reads
    floodGets(greedy, 'big', 20_000); // 2 GB of replies asked for
    const deadline = Date.now() + 15_000;
    let peak = before;
    let clients = 2;
    while (clients > 1 && Date.now() < deadline) {
      peak = Math.max(peak, kv.rss());
      clients = await connectedClients(admin);
      await sleep(50);
    }
    assert.is(clients, 1, 'the greedy client is disconnected');
    assert.ok(peak - before < 300 * 1024 * 1024, `RSS grew ${Math.round((peak - before) / 1048576)} MB`);
    assert.is(await admin.call('PING'), '+PONG\r\n');
    greedy.close();
    admin.close();
  } finally {
    await kv.stop();
  }
});

test('client-output-buffer-limit normal soft limit: over it for longer than its seconds disconnects; default 0 0 0 never does', async () => {
  const kv = await spawnKv();
  try {
    const admin = await connectPlain(kv.port);
    await admin.call('SET', 'big', 'x'.repeat(100_000));
    // the default: no limit for normal clients, the client is throttled (reading stops) instead
    const slow = await connectPlain(kv.port);
    slow.socket.pause();
    floodGets(slow, 'big', 1000);
    await sleep(1500);
    assert.is(await connectedClients(admin), 2, 'no limit by default');
    slow.close();
    await sleep(200);
    assert.is(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 1mb 1'), '+OK\r\n');
    const greedy = await connectPlain(kv.port);
    greedy.socket.pause();
    const until = Date.now() + 8000;
    let clients = 2;
    const started = Date.now();
    while (clients > 1 && Date.now() < until) {
      floodGets(greedy, 'big', 100);
      await sleep(200);
      clients = await connectedClients(admin);
    }
    assert.is(clients, 1, 'disconnected once over the soft limit for more than 1 s');
    assert.ok(Date.now() - started > 1000, 'not before its second');
    greedy.close();
    assert.is(await admin.call('PING'), '+PONG\r\n');
    admin.close();
  } finally {
    await kv.stop();
  }
});

test.run();
