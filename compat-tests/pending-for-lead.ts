/*
 * Failing checks for files this helper may not edit (src/server/connection.ts, src/commands/dispatch.ts).
 * Not picked up by `npm test` (no .test.ts suffix) until they pass: then rename to *.test.ts.
 *   node --import tsx compat-tests/pending-for-lead.ts
 */
import net from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, RawClient, startKv, startRedis } from './harness.js';

const MB = 1024 * 1024;
const test = suite('pending for the lead');

// connection.ts: the output high-water mark is checked only between socket reads, so one read
// holding many GETs of a large value buffers all their replies (here 200 MB for 64 MB allowed).
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

// dispatch.ts argsPreview: Redis formats each argument with '%.*s', which stops at a NUL byte.
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
