/*
 * A socket-level fuzzer: hostile input (fast-check samples of malformed RESP, random bytes, huge
 * declared lengths, long lines) sent over many connections at once to a kv-server in its own
 * process. The server never crashes, a healthy client keeps getting answers, the protocol errors
 * are Redis's (a sample is compared byte for byte with a real redis-server), and its memory comes
 * back near its baseline once the connections are gone.
 */
import fc from 'fast-check';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeCommand, startRedis } from '../harness.js';
import { connectPlain, exchange, percentile, separatePinger, spawnKv } from './security-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fragment = fc.oneof(
  fc.constantFrom('*', '$', '\r', '\n', '\r\n', '\0', '-', ':', ' ', '"', "'", 'x'),
  fc.constantFrom('*-1\r\n', '*0\r\n', '$-2\r\n', '*-0\r\n', '$01\r\n', '*1\r', '*2147483647\r\n', '*2147483648\r\n', '$536870913\r\n', '$500000000\r\n', '*1048576\r\n'),
  fc.stringMatching(/^[0-9]{1,5}$/).map((d) => `*${d}\r\n`),
  fc.stringMatching(/^[0-9]{1,5}$/).map((d) => `$${d}\r\n`),
  fc.string({ maxLength: 10 }),
  fc.array(fc.constantFrom('PING', 'SET', 'GET', 'k', 'v', 'ECHO', 'MULTI', 'EXEC', 'SUBSCRIBE', 'c'), { minLength: 1, maxLength: 3 }).map((a) => encodeCommand(a).toString('latin1')),
);
const hostile = fc.oneof(
  { weight: 6, arbitrary: fc.array(fragment, { maxLength: 25 }).map((p) => Buffer.from(p.join(''), 'latin1')) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 140_000 }).map((n) => Buffer.alloc(n, 'a')) },
);
const INPUTS = fc.sample(hostile, { numRuns: 400, seed: 11 });

/** Sends `input` on a fresh connection and hangs up after a moment (or when the server does). */
function attack(port: number, input: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.on('data', () => {});
    s.once('connect', () => s.write(input));
    const t = setTimeout(() => s.destroy(), 150);
    s.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

test('400 hostile inputs (twice) over 50 connections at a time: no crash, a healthy client keeps its answers, memory returns', async () => {
  const kv = await spawnKv();
  try {
    const admin = await connectPlain(kv.port);
    for (let i = 0; i < 2000; i++) admin.write(encodeCommand(['SET', `warm:${i}`, 'v']));
    for (let i = 0; i < 2000; i++) await admin.readReply();
    await sleep(300);
    const baseline = kv.rss();
    const pinger = separatePinger(kv.port);
    await sleep(1000); // the pinger's process starts
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < INPUTS.length; i += 50) await Promise.all(INPUTS.slice(i, i + 50).map((input) => attack(kv.port, input)));
    }
    const latencies = await pinger.stop();
    console.log(`socket fuzz: healthy client p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms over ${latencies.length} pings`);
    assert.ok(kv.alive(), `kv-server died: ${kv.stderr()}`);
    assert.ok(latencies.length > 10);
    // every attacking connection is gone, the data is intact
    let clients = -1;
    for (let i = 0; i < 50 && clients !== 1; i++) {
      clients = Number(/connected_clients:(\d+)/.exec(await admin.call('INFO', 'clients'))![1]);
      if (clients !== 1) await sleep(100);
    }
    assert.is(clients, 1, await admin.call('CLIENT', 'LIST'));
    assert.is(await admin.call('GET', 'warm:1999'), '$1\r\nv\r\n');
    const after = kv.rss();
    console.log(`socket fuzz: RSS baseline ${(baseline / 1048576).toFixed(0)} MB, after ${(after / 1048576).toFixed(0)} MB`);
    assert.ok(after - baseline < 96 * 1024 * 1024, `RSS grew ${((after - baseline) / 1048576).toFixed(0)} MB`);
    admin.close();
  } finally {
    await kv.stop();
  }
});

test('a sample of the hostile inputs: replies and hang-ups match redis-server byte for byte', async () => {
  const redis = await startRedis();
  if (!redis) return;
  const kv = await spawnKv();
  try {
    // warm the JIT: a cold process answers its first big inputs slowly
    await exchange(kv.port, [Buffer.from('PING\r\n'.repeat(20000))], 10, 300);
    const sample = INPUTS.filter((_, i) => i % 10 === 0).slice(0, 36);
    const failures: string[] = [];
    for (let i = 0; i < sample.length; i += 6) {
      await Promise.all(
        sample.slice(i, i + 6).map(async (input) => {
          let [ours, theirs] = await Promise.all([exchange(kv.port, [input], 60, 400), exchange(redis.port, [input], 60, 400)]);
          if (ours.reply !== theirs.reply || ours.closed !== theirs.closed) {
            [ours, theirs] = await Promise.all([exchange(kv.port, [input], 60, 3000), exchange(redis.port, [input], 60, 3000)]);
          }
          if (ours.reply !== theirs.reply || ours.closed !== theirs.closed) {
            failures.push(`${JSON.stringify(input.toString('latin1').slice(0, 200))}\n  kv-server: ${ours.closed} ${JSON.stringify(ours.reply.slice(0, 200))}\n  redis:     ${theirs.closed} ${JSON.stringify(theirs.reply.slice(0, 200))}`);
          }
        }),
      );
    }
    assert.is(failures.join('\n'), '', `${failures.length} of ${sample.length} differ`);
  } finally {
    await kv.stop();
    await redis.stop();
  }
});

test.run();
