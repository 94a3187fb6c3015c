/*
 * Slow-loris and flood against a kv-server in its own process, loopback only, bounded in count
 * and time: thousands of connections dribbling their commands one byte at a time, one client
 * pipelining a million commands without reading its replies (the server must stop reading it,
 * not buffer without bound: its RSS is measured), and thousands of idle connections held open.
 * Throughout, a healthy client's PING round trip is measured; its p99 is printed (the numbers in
 * bench/RESULTS.md come from here) and held to a generous bound (the machine is shared).
 */
import net from 'node:net';
import { execSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectPlain, percentile, separatePinger, spawnKv } from './security-harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * generous: a loaded 2-core machine shared with other work (alone the worst p99 measured was
 * ~0.8 s, at the slow-loris moment when 2,000 commands complete together; ~3.9 s once under the
 * full suite on that machine). A stalled or crashed server fails it all the same.
 */
const P99_BOUND_MS = 5000;

function report(what: string, latencies: number[]): number {
  const p99 = percentile(latencies, 99);
  console.log(`${what}: healthy client PING p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${Math.max(...latencies).toFixed(2)} ms over ${latencies.length} pings`);
  return p99;
}

function openSockets(port: number, n: number): Promise<net.Socket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
}

/** opens `n` connections, `batch` at a time (a burst of thousands overflows the accept backlog) */
async function openMany(port: number, n: number, batch = 500): Promise<net.Socket[]> {
  const out: net.Socket[] = [];
  for (let i = 0; i < n; i += batch) out.push(...(await openSockets(port, Math.min(batch, n - i))));
  return out;
}

test('slow-loris: 2,000 connections each sending its command one byte at a time', async () => {
  const kv = await spawnKv();
  const healthy = await connectPlain(kv.port);
  try {
    const N = 2000;
    const sockets = await openMany(kv.port, N);
    const replies = sockets.map(() => '');
    sockets.forEach((s, i) => s.on('data', (d) => (replies[i] += d.toString('latin1'))));
    const pinger = separatePinger(kv.port);
    const command = Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\nslow!\r\n');
    for (let byte = 0; byte < command.length; byte++) {
      for (const s of sockets) s.write(command.subarray(byte, byte + 1));
      await sleep(50);
    }
    const deadline = Date.now() + 15_000;
    while (replies.some((r) => r.length < 11) && Date.now() < deadline) await sleep(50);
    const p99 = report('slow-loris (2,000 connections, 1 byte each)', await pinger.stop());
    assert.is(replies.filter((r) => r === '$5\r\nslow!\r\n').length, N, 'every dribbling client is answered');
    assert.ok(p99 < P99_BOUND_MS, `p99 ${p99} ms`);
    for (const s of sockets) s.destroy();
  } finally {
    healthy.close();
    await kv.stop();
  }
});

test('flood: one client pipelines 1,000,000 commands without reading; the server applies back-pressure', async () => {
  const kv = await spawnKv();
  const healthy = await connectPlain(kv.port);
  try {
    assert.is(await healthy.call('SET', 'v', 'x'.repeat(1000)), '+OK\r\n');
    const baseline = kv.rss();
    const flooder = await connectPlain(kv.port);
    flooder.socket.pause(); // never reads: 1M replies of 1 KB would be 1 GB
    const pinger = separatePinger(kv.port);
    const batch = Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\nv\r\n'.repeat(10_000));
    let peak = baseline;
    for (let i = 0; i < 100; i++) {
      flooder.socket.write(batch);
      if (i % 10 === 0) {
        peak = Math.max(peak, kv.rss());
        await sleep(20);
      }
    }
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      peak = Math.max(peak, kv.rss());
      await sleep(100);
    }
    const p99 = report('flood (1M pipelined GETs never read)', await pinger.stop());
    const grewMb = (peak - baseline) / 1048576;
    console.log(`flood: server RSS baseline ${Math.round(baseline / 1048576)} MB, peak +${Math.round(grewMb)} MB`);
    assert.ok(grewMb < 400, `RSS grew ${Math.round(grewMb)} MB: replies were buffered without bound`);
    assert.ok(p99 < P99_BOUND_MS, `p99 ${p99} ms`);
    assert.ok(kv.alive());
    flooder.close();
    await sleep(300);
    assert.is(await healthy.call('GET', 'v'), `$1000\r\n${'x'.repeat(1000)}\r\n`);
  } finally {
    healthy.close();
    await kv.stop();
  }
});

test('10,000 idle connections held open (or as many as the file descriptor limit allows)', async () => {
  let limit = 1024;
  try {
    limit = Number(execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim()) || 1024;
  } catch {
    // keep the conservative default
  }
  // both ends live on this machine: this process holds one descriptor per connection, the server
  // one more; maxclients (10000) counts the healthy client and the pinger too
  const N = Math.min(9_990, limit - 200);
  if (N < 9_990) console.log(`idle connections: ulimit -n is ${limit}, holding ${N} instead of 10,000`);
  const kv = await spawnKv({ maxclients: '10000' });
  const healthy = await connectPlain(kv.port);
  try {
    const pinger = separatePinger(kv.port);
    const sockets = await openMany(kv.port, N);
    // the kernel completes connections before the server has accepted them all
    let connected = 0;
    const deadline = Date.now() + 20_000;
    // the idle ones, this healthy client and the pinger's
    while (connected < N + 2 && Date.now() < deadline) {
      connected = Number(/connected_clients:(\d+)/.exec(await healthy.call('INFO', 'clients'))![1]);
      if (connected < N + 2) await sleep(200);
    }
    await sleep(500);
    const p99 = report(`idle (${N} connections)`, await pinger.stop());
    assert.is(connected, N + 2);
    assert.ok(p99 < P99_BOUND_MS, `p99 ${p99} ms`);
    // they still work: a sample of them answers
    for (const s of sockets.slice(0, 50)) s.write('PING\r\n');
    let answered = 0;
    await Promise.all(sockets.slice(0, 50).map((s) => new Promise<void>((r) => s.once('data', () => (answered++, r())))));
    assert.is(answered, 50);
    for (const s of sockets) s.destroy();
  } finally {
    healthy.close();
    await kv.stop();
  }
});

test.run();
