/*
 * Pub/sub behaviour that a byte comparison cannot show: a subscriber that stops reading is
 * disconnected by client-output-buffer-limit (hard and soft limits) while the others keep
 * receiving; disconnection and RESET clean up subscriptions; INFO and CLIENT LIST report them;
 * real libraries (ioredis, node-redis, redis-py) subscribe and receive.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RawClient, requireRedisPy, startKv } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a Python script (asynchronously: the server under test lives in this process). */
function runPython(py: string, script: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(py, ['-c', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

/** A subscriber that reads its confirmation and then never reads again. */
async function stalledSubscriber(port: number, channel: string): Promise<{ socket: net.Socket }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${channel.length}\r\n${channel}\r\n`);
  await new Promise((r) => socket.once('data', r));
  socket.pause();
  socket.on('error', () => {});
  return { socket };
}

async function floodAndCheck(limit: string): Promise<void> {
  const kv = await startKv({ 'client-output-buffer-limit': limit });
  try {
    const slow = await stalledSubscriber(kv.port, 'flood');
    const fast = await RawClient.connect(kv.port);
    await fast.call('SUBSCRIBE', 'flood');
    const pub = await RawClient.connect(kv.port);
    const payload = 'x'.repeat(64 * 1024);
    let received = 0;
    // a paused socket does not see its close: ask the server how many subscribers are left
    const subscribers = async () => Number(/:(\d+)\r\n$/.exec(await pub.call('PUBSUB', 'NUMSUB', 'flood'))![1]);
    for (let i = 0; i < 400; i++) {
      await pub.call('PUBLISH', 'flood', payload);
      await fast.readReply();
      received++;
      if (i % 10 === 9 && (await subscribers()) === 1) break;
    }
    assert.is(await subscribers(), 1, 'the stalled subscriber was disconnected');
    // the others keep receiving
    assert.is(await pub.call('PUBLISH', 'flood', 'after'), ':1\r\n');
    assert.ok((await fast.readReply()).endsWith('$5\r\nafter\r\n'));
    assert.ok(received > 0);
    assert.is(await pub.call('PUBSUB', 'NUMSUB', 'flood'), '*2\r\n$5\r\nflood\r\n:1\r\n');
    fast.close();
    pub.close();
    slow.socket.destroy();
  } finally {
    await kv.stop();
  }
}

test('a stalled subscriber past the hard limit is disconnected; the others keep receiving', async () => {
  await floodAndCheck('pubsub 1mb 0 0');
});

test('a stalled subscriber past the soft limit for longer than its seconds is disconnected', async () => {
  await floodAndCheck('pubsub 0 512kb 0');
});

test('client-output-buffer-limit: Redis default, canonical form and errors', async () => {
  const kv = await startKv();
  try {
    const c = await RawClient.connect(kv.port);
    const get = () => c.call('CONFIG', 'GET', 'client-output-buffer-limit');
    assert.ok((await get()).includes('normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'));
    assert.is(await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 2k 5'), '+OK\r\n');
    assert.ok((await get()).includes('normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2000 5'));
    assert.ok((await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 2')).includes('Wrong number of arguments in buffer limit configuration.'));
    assert.ok((await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'foo 1 2 3')).includes('Invalid client class specified'));
    assert.ok((await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub x 2 3')).includes('Error in hard, soft or soft_seconds'));
    c.close();
  } finally {
    await kv.stop();
  }
});

test('disconnection and RESET drop subscriptions; INFO counts channels and patterns', async () => {
  const kv = await startKv();
  try {
    const a = await RawClient.connect(kv.port);
    const b = await RawClient.connect(kv.port);
    const probe = await RawClient.connect(kv.port);
    await a.call('SUBSCRIBE', 'one');
    a.write('*3\r\n$9\r\nSUBSCRIBE\r\n$3\r\ntwo\r\n$5\r\nthree\r\n');
    await a.readReply();
    await a.readReply();
    await b.call('PSUBSCRIBE', 'p*');
    await b.call('SUBSCRIBE', 'one');
    const info = async () => (await probe.call('INFO', 'stats')).match(/pubsub_(channels|patterns):\d+/g)!.join(' ');
    assert.is(await info(), 'pubsub_channels:3 pubsub_patterns:1');
    a.close();
    await sleep(50);
    assert.is(await info(), 'pubsub_channels:1 pubsub_patterns:1');
    assert.is(await probe.call('PUBLISH', 'one', 'x'), ':1\r\n');
    assert.is(await b.readReply(), '*3\r\n$7\r\nmessage\r\n$3\r\none\r\n$1\r\nx\r\n');
    assert.is(await b.call('RESET'), '+RESET\r\n');
    assert.is(await info(), 'pubsub_channels:0 pubsub_patterns:0');
    assert.is(await probe.call('PUBLISH', 'pq', 'x'), ':0\r\n');
    b.close();
    probe.close();
  } finally {
    await kv.stop();
  }
});

test('ioredis subscribes and receives messages and pattern messages', async () => {
  const kv = await startKv();
  const sub = new Redis({ port: kv.port, lazyConnect: true });
  const pub = new Redis({ port: kv.port, lazyConnect: true });
  try {
    await sub.connect();
    await pub.connect();
    const got: string[] = [];
    sub.on('message', (ch, msg) => got.push(`${ch}:${msg}`));
    sub.on('pmessage', (pat, ch, msg) => got.push(`${pat}|${ch}:${msg}`));
    assert.is(await sub.subscribe('news', 'alerts'), 2);
    await sub.psubscribe('n*');
    assert.is(await pub.publish('news', 'hello'), 2);
    assert.is(await pub.publish('alerts', 'fire'), 1);
    await sleep(50);
    assert.equal(got.sort(), ['alerts:fire', 'n*|news:hello', 'news:hello']);
    // (a bare unsubscribe() while patterns remain never resolves in ioredis, against Redis too)
    await sub.unsubscribe('news', 'alerts');
    await sub.punsubscribe('n*');
    assert.is(await sub.set('k', 'v'), 'OK', 'out of subscriber mode again');
  } finally {
    sub.disconnect();
    pub.disconnect();
    await kv.stop();
  }
});

test('node-redis (RESP2) subscribes and receives', async () => {
  const kv = await startKv();
  const client = createClient({ url: `redis://127.0.0.1:${kv.port}` });
  const subscriber = client.duplicate();
  try {
    await client.connect();
    await subscriber.connect();
    const got: string[] = [];
    await subscriber.subscribe('ch', (message, channel) => void got.push(`${channel}:${message}`));
    await subscriber.pSubscribe('c*', (message, channel) => void got.push(`p ${channel}:${message}`));
    assert.is(await client.publish('ch', 'm1'), 2);
    await sleep(50);
    assert.equal(got.sort(), ['ch:m1', 'p ch:m1']);
    assert.equal({ ...(await client.pubSubNumSub(['ch'])) }, { ch: 1 });
  } finally {
    await subscriber.quit().catch(() => {});
    await client.quit().catch(() => {});
    await kv.stop();
  }
});

test('redis-py pub/sub: subscribe, psubscribe, get_message, unsubscribe', async () => {
  const py = requireRedisPy();
  if (!py) return;
  const kv = await startKv();
  try {
    const script = `
import redis, time, sys
r = redis.Redis(port=int(sys.argv[1]))
p = r.pubsub()
p.subscribe('a')
p.psubscribe('b*')
def next_message():
    for _ in range(100):
        m = p.get_message(timeout=0.05)
        if m and m['type'] in ('message', 'pmessage'):
            return m
    return None
assert r.publish('a', 'x') == 1
m = next_message(); assert m['channel'] == b'a' and m['data'] == b'x', m
assert r.publish('bb', 'y') == 1
m = next_message(); assert m['type'] == 'pmessage' and m['pattern'] == b'b*' and m['data'] == b'y', m
assert r.pubsub_numsub('a') == [(b'a', 1)]
assert r.pubsub_numpat() == 1
p.unsubscribe(); p.punsubscribe()
time.sleep(0.1)
p.get_message(); p.get_message()
assert r.publish('a', 'z') == 0
p.close()
print('ok')
`;
    const r = await runPython(py, script, [String(kv.port)]);
    if (r.stdout.trim() !== 'ok') console.log(r.stderr);
    assert.is(r.stdout.trim(), 'ok');
  } finally {
    await kv.stop();
  }
});

test.run();
