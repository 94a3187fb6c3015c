/*
 * How replies reach the socket (server/resp-connection.ts flush, server/direct-write.ts): straight
 * to the libuv handle while the kernel takes them, held in the writer behind a write the kernel
 * took only part of. A reader slower than the server must still get every reply, whole and in
 * order; QUIT must still come after them; CLIENT LIST must count what waits.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { encodeCommand, replyLength, startKv } from './harness.js';
import type { RunningServer } from '../src/server/app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const A = 'a'.repeat(700_000);
const B = 'b'.repeat(300_000);

/** A connection that does not read until `resume`, then collects everything until it closes. */
function slowReader(port: number): Promise<{ socket: net.Socket; received: () => Buffer; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done!: () => void;
    const closed = new Promise<void>((r) => (done = r));
    socket.on('data', (d) => chunks.push(d));
    socket.on('close', () => done());
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.pause();
      resolve({ socket, received: () => Buffer.concat(chunks), closed });
    });
    socket.once('error', reject);
  });
}

/** Splits `raw` into whole replies. */
function replies(raw: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < raw.length) {
    const n = replyLength(raw, at);
    if (n <= 0) break;
    out.push(raw.latin1Slice(at, at + n));
    at += n;
  }
  assert.is(at, raw.length, 'nothing but whole replies');
  return out;
}

async function withServer(run: (kv: RunningServer) => Promise<void>): Promise<void> {
  const kv = await startKv();
  try {
    const admin = net.connect(kv.port, '127.0.0.1');
    await new Promise((r) => admin.once('connect', r));
    admin.write(Buffer.concat([encodeCommand(['SET', 'a', A]), encodeCommand(['SET', 'b', B]), encodeCommand(['SET', 'c', 'small'])]));
    let got = '';
    await new Promise<void>((r) =>
      admin.on('data', (d) => {
        got += d.latin1Slice();
        if (got === '+OK\r\n+OK\r\n+OK\r\n') r();
      }),
    );
    admin.destroy();
    await run(kv);
  } finally {
    await kv.stop();
  }
}

test('replies the socket cannot take at once arrive whole and in order once the client reads', async () => {
  await withServer(async (kv) => {
    const c = await slowReader(kv.port);
    const expected: string[] = [];
    const parts: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const key = i % 3 === 0 ? 'b' : i % 3 === 1 ? 'c' : 'a';
      parts.push(encodeCommand(['GET', key]), encodeCommand(['INCR', 'n']));
      const value = key === 'a' ? A : key === 'b' ? B : 'small';
      expected.push(`$${value.length}\r\n${value}\r\n`, `:${i + 1}\r\n`);
    }
    c.socket.write(Buffer.concat(parts));
    await sleep(300); // the server writes ~10 MB into a socket nobody reads
    c.socket.resume();
    const deadline = Date.now() + 15_000;
    while (c.received().length < expected.join('').length && Date.now() < deadline) await sleep(20);
    const got = replies(c.received());
    assert.is(got.length, expected.length);
    for (let i = 0; i < expected.length; i++) assert.ok(got[i] === expected[i], `reply ${i} differs`);
    c.socket.destroy();
  });
});

test('QUIT behind replies still held for the socket: every reply, then +OK, then the close', async () => {
  await withServer(async (kv) => {
    const c = await slowReader(kv.port);
    const parts: Buffer[] = [];
    for (let i = 0; i < 12; i++) parts.push(encodeCommand(['GET', 'a']));
    parts.push(encodeCommand(['QUIT']), encodeCommand(['GET', 'c']));
    c.socket.write(Buffer.concat(parts));
    await sleep(300);
    c.socket.resume();
    await Promise.race([c.closed, sleep(15_000)]);
    const got = replies(c.received());
    assert.is(got.length, 13, 'twelve values and +OK; nothing after QUIT');
    for (let i = 0; i < 12; i++) assert.ok(got[i] === `$${A.length}\r\n${A}\r\n`, `reply ${i}`);
    assert.is(got[12], '+OK\r\n');
  });
});

test('CLIENT LIST counts the reply bytes waiting for a client that does not read (omem, obl)', async () => {
  await withServer(async (kv) => {
    const c = await slowReader(kv.port);
    c.socket.write(encodeCommand(['CLIENT', 'SETNAME', 'slow']));
    const parts: Buffer[] = [];
    for (let i = 0; i < 30; i++) parts.push(encodeCommand(['GET', 'a']));
    c.socket.write(Buffer.concat(parts));
    await sleep(300);
    const admin = net.connect(kv.port, '127.0.0.1');
    await new Promise((r) => admin.once('connect', r));
    let list = '';
    admin.on('data', (d) => (list += d.latin1Slice()));
    admin.write(encodeCommand(['CLIENT', 'LIST']));
    const deadline = Date.now() + 5_000;
    while (!list.includes('name=slow') && Date.now() < deadline) await sleep(20);
    const line = list.split('\n').find((l) => l.includes('name=slow'));
    assert.ok(line !== undefined, `no line for the slow client in ${JSON.stringify(list)}`);
    const field = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)![1]);
    // 21 MB asked for; the kernel holds a few MB at most: the rest waits in the server
    assert.ok(field('omem') + field('obl') > 5_000_000, line);
    assert.ok(field('omem') > 0, `omem: ${line}`);
    admin.destroy();
    c.socket.destroy();
  });
});

test.run();
