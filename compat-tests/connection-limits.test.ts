/*
 * Connection-level limits: output held for a client that does not read stays bounded, and the
 * unknown-command preview formats arguments as C does.
 */
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, RawClient, startKv, startRedis } from './harness.js';

const MB = 1024 * 1024;
const test = suite('connection limits');

// One socket read holding 200 GETs of a 1 MB value: the connection stops running commands once
// 64 MB of replies wait (the high-water mark), instead of buffering all 200 MB.
test('one write of 200 GETs of a 1 MB value: the output held stays near the high-water mark', async () => {
  const kv = await startKv();
  try {
    const admin = await RawClient.connect(kv.port);
    await admin.call('SET', 'v', Buffer.alloc(MB, 'v'));
    const s = net.connect(kv.port, '127.0.0.1');
    await new Promise((r) => s.once('connect', r));
    s.pause();
    s.write(Buffer.concat(Array.from({ length: 200 }, () => encodeCommand(['GET', 'v']))));
    await new Promise((r) => setTimeout(r, 500));
    let maxOut = 0;
    for (const c of kv.context.clients.values()) maxOut = Math.max(maxOut, c.conn.outputBufferBytes());
    s.destroy();
    admin.close();
    assert.ok(maxOut < 96 * MB, `held ${maxOut} bytes of output for a client that does not read`);
  } finally {
    await kv.stop();
  }
});

// Redis formats each previewed argument of an unknown command with '%.*s', which stops at NUL.
test('unknown command: each previewed argument stops at NUL, as redis-server', async () => {
  const kv = await startKv();
  const redis = await startRedis();
  try {
    if (!redis) return;
    const a = await RawClient.connect(kv.port);
    const b = await RawClient.connect(redis.port);
    const cmd = ['FOO\x00X', 'a\x00b', 'c\r\nd'];
    assert.is(JSON.stringify(await a.call(...cmd)), JSON.stringify(await b.call(...cmd)));
    a.close();
    b.close();
  } finally {
    await kv.stop();
    await redis?.stop();
  }
});

test.run();
