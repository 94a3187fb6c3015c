/*
 * The binary protocol's way out (server/reply-output.ts, shared with RESP: reply-writes.test.ts):
 * replies written straight to the libuv handle while the kernel takes them, held in the writer
 * behind a write the kernel took only part of. A reader slower than the server gets every reply
 * frame whole and in order, QUIT comes after them, CLIENT LIST counts what waits,
 * client-output-buffer-limit disconnects a client that does not read, and kv-server/client's own
 * requests wait behind a request write the kernel took only part of.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from '../src/client/index.js';
import type { RunningServer } from '../src/server/app.js';
import { RawBinary, commandFrame, type Raw } from './binary-raw.js';
import { startKvWithBinPort } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const A = 'a'.repeat(700_000);
const B = 'b'.repeat(300_000);

/** the test's connections: closed before the server stops, or a failed test would leave the
 *  server's close waiting on a write to a client that never reads */
const opened: RawBinary[] = [];

async function withServer(run: (kv: RunningServer) => Promise<void>): Promise<void> {
  const kv = await startKvWithBinPort();
  try {
    const [admin] = await RawBinary.hello(kv.binPort);
    for (const [k, v] of [['a', A], ['b', B], ['c', 'small']]) assert.is(await admin.call('SET', k!, v!), 'OK');
    admin.close();
    await run(kv);
  } finally {
    for (const c of opened.splice(0)) c.close();
    await kv.stop();
  }
}

/** A handshaken binary connection that reads nothing until its socket is resumed. */
async function slowReader(port: number): Promise<RawBinary> {
  const [c] = await RawBinary.hello(port);
  opened.push(c);
  c.socket.pause();
  return c;
}

/** Compares decoded values without printing megabytes when they differ. */
function sameValue(a: Raw, b: Raw): boolean {
  return JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? String(v) : v)) === JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? String(v) : v));
}

function describe(v: Raw): string {
  const s = JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x)) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 60)}… (${s.length} chars)` : s;
}

async function readAll(c: RawBinary, n: number, timeoutMs = 15_000): Promise<Array<{ id: number; value: Raw }>> {
  const out: Array<{ id: number; value: Raw }> = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) out.push(await c.read(Math.max(1, deadline - Date.now())));
  return out;
}

test('reply frames the socket cannot take at once arrive whole and in order once the client reads', async () => {
  await withServer(async (kv) => {
    const c = await slowReader(kv.binPort);
    const frames: Buffer[] = [];
    const expected: Raw[] = [];
    for (let i = 0; i < 20; i++) {
      const key = i % 3 === 0 ? 'b' : i % 3 === 1 ? 'c' : 'a';
      frames.push(commandFrame(100 + 2 * i, ['GET', key]), commandFrame(101 + 2 * i, ['INCR', 'n']));
      expected.push({ bytes: key === 'a' ? A : key === 'b' ? B : 'small' }, i + 1);
    }
    c.write(Buffer.concat(frames));
    await sleep(300); // the server writes ~10 MB into a socket nobody reads
    c.socket.resume();
    const got = await readAll(c, expected.length);
    for (let i = 0; i < expected.length; i++) {
      assert.is(got[i]!.id, 100 + i, `reply ${i}'s id`);
      assert.ok(sameValue(got[i]!.value, expected[i]!), `reply ${i}: ${describe(got[i]!.value)}`);
    }
    assert.ok(await c.nothingWithin(100), 'nothing more');
    c.close();
  });
});

test('QUIT behind reply frames still held for the socket: every reply, then OK, then the close', async () => {
  await withServer(async (kv) => {
    const c = await slowReader(kv.binPort);
    const frames: Buffer[] = [];
    for (let i = 0; i < 12; i++) frames.push(commandFrame(10 + i, ['GET', 'a']));
    frames.push(commandFrame(50, ['QUIT']), commandFrame(51, ['GET', 'c']));
    c.write(Buffer.concat(frames));
    await sleep(300);
    c.socket.resume();
    const got = await readAll(c, 13);
    for (let i = 0; i < 12; i++) assert.ok(got[i]!.id === 10 + i && sameValue(got[i]!.value, { bytes: A }), `reply ${i}: id ${got[i]!.id}, ${describe(got[i]!.value)}`);
    assert.equal([got[12]!.id, got[12]!.value], [50, 'OK']);
    await c.waitClosed(5000);
    let after = 'nothing';
    try {
      after = describe((await c.read(100)).value);
    } catch {}
    assert.is(after, 'nothing', 'nothing after QUIT');
  });
});

test('CLIENT LIST counts the reply bytes waiting for a binary client that does not read (omem, obl)', async () => {
  await withServer(async (kv) => {
    const [c] = await RawBinary.hello(kv.binPort, { name: 'slowbin' });
    opened.push(c);
    c.socket.pause();
    const frames: Buffer[] = [];
    for (let i = 0; i < 30; i++) frames.push(commandFrame(10 + i, ['GET', 'a']));
    c.write(Buffer.concat(frames));
    await sleep(300);
    const [admin] = await RawBinary.hello(kv.binPort);
    const list = (await admin.call('CLIENT', 'LIST')) as { bytes: string } | string;
    const text = typeof list === 'string' ? list : list.bytes;
    const line = text.split('\n').find((l) => l.includes('name=slowbin'));
    assert.ok(line !== undefined, text);
    const field = (name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)![1]);
    // 21 MB asked for; the kernel holds a few MB at most: the rest waits in the server
    assert.ok(field('omem') + field('obl') > 5_000_000, line);
    assert.ok(field('omem') > 0, `omem counts the write libuv holds: ${line}`);
    admin.close();
    c.close();
  });
});

test('client-output-buffer-limit disconnects a binary client that does not read', async () => {
  await withServer(async (kv) => {
    const [admin] = await RawBinary.hello(kv.binPort);
    assert.is(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 4mb 0 0'), 'OK');
    const c = await slowReader(kv.binPort);
    const frames: Buffer[] = [];
    for (let i = 0; i < 30; i++) frames.push(commandFrame(10 + i, ['GET', 'a']));
    c.write(Buffer.concat(frames));
    await sleep(300);
    c.socket.resume();
    await c.waitClosed(5000);
    // what reached the socket before the limit came arrives, then the close: never all of it
    let n = 0;
    for (;;) {
      try {
        await c.read(50);
        n++;
      } catch {
        break;
      }
    }
    assert.ok(n < 30, `${n} replies of 30`);
    assert.is(await admin.call('PING'), 'PONG', 'the server lives on');
    admin.close();
  });
});

test('a connection closed by the peer while a write is held leaves the server serving', async () => {
  await withServer(async (kv) => {
    const c = await slowReader(kv.binPort);
    const frames: Buffer[] = [];
    for (let i = 0; i < 20; i++) frames.push(commandFrame(10 + i, ['GET', 'a']));
    c.write(Buffer.concat(frames));
    await sleep(200);
    c.close();
    await sleep(200);
    const [admin] = await RawBinary.hello(kv.binPort);
    assert.equal(await admin.call('GET', 'c'), { bytes: 'small' });
    const list = (await admin.call('CLIENT', 'LIST')) as { bytes: string } | string;
    const text = typeof list === 'string' ? list : list.bytes;
    assert.is(text.trim().split('\n').length, 1, `only the admin connection is left: ${text}`);
    admin.close();
  });
});

test('kv-server/client: requests behind a request write the kernel takes only in part go out after it, in order', async () => {
  await withServer(async (kv) => {
    const c = await connect(`kv://127.0.0.1:${kv.binPort}`);
    try {
      const big = Buffer.alloc(24 * 1024 * 1024, 0x5a);
      // one turn: the 24 MB SET leaves libuv holding most of its write; the rest wait behind it
      const results = await Promise.all([c.set('big', big), c.get('c'), c.incr('counter'), c.set('big2', big), c.get('big')]);
      assert.is(results[0], true);
      assert.equal(results[1], Buffer.from('small'));
      assert.is(results[2], 1);
      assert.is(results[3], true);
      assert.ok(Buffer.isBuffer(results[4]) && (results[4] as Buffer).equals(big), 'the big value round-trips');
      assert.is(await c.command('STRLEN', 'big2'), big.length);
    } finally {
      await c.close();
    }
  });
});

test.run();
