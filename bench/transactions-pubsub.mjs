#!/usr/bin/env node
/*
 * MULTI/EXEC of 10 commands and PUBLISH fan-out to 50 subscribers, kv-server against
 * redis-server side by side in the same run (`npm run build` first; `--quick` for a smoke run).
 *  - transactions: 20 connections, each sending MULTI, 10 × INCR, EXEC, pipelined 16
 *    transactions deep; transactions per second.
 *  - fan-out: 50 subscribers on one channel, one publisher pipelining PUBLISH 64 deep; messages
 *    delivered per second (each PUBLISH delivers 50).
 * Prints a table of rates and the kv/redis ratio. Not a test: nothing here runs under npm test.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

const quick = process.argv.includes('--quick');
const TX_PER_CONN = quick ? 500 : 5000;
const PUBLISHES = quick ? 2000 : 20000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const enc = (...a) => `*${a.length}\r\n` + a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('');

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

async function start(kind) {
  const port = await freePort();
  const child =
    kind === 'kv'
      ? spawn(process.execPath, ['dist/server/main.js', '--port', String(port), '--loglevel', 'warning'], { stdio: 'ignore' })
      : spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  for (let i = 0; i < 400; i++) {
    const ok = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) break;
    await sleep(50);
  }
  return { port, stop: () => child.kill('SIGKILL') };
}

/** Counts occurrences of `needle` in the data a socket receives until `target` are seen. */
function counter(socket, needle, target) {
  let seen = 0;
  let tail = '';
  return new Promise((resolve) => {
    socket.on('data', (d) => {
      const s = tail + d.toString('latin1');
      let i = -1;
      while ((i = s.indexOf(needle, i + 1)) !== -1) seen++;
      tail = s.slice(-needle.length + 1);
      if (seen >= target) resolve();
    });
  });
}

async function connect(port) {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  s.setNoDelay(true);
  return s;
}

async function transactions(port) {
  const tx = enc('MULTI') + Array.from({ length: 10 }, () => enc('INCR', 'counter')).join('') + enc('EXEC');
  const conns = await Promise.all(Array.from({ length: 20 }, () => connect(port)));
  const started = process.hrtime.bigint();
  await Promise.all(
    conns.map(async (s) => {
      // each EXEC reply is `*10\r\n`; send 16 transactions at a time
      let done = 0;
      const depth = 16;
      while (done < TX_PER_CONN) {
        const n = Math.min(depth, TX_PER_CONN - done);
        const wait = counter(s, '*10\r\n', n);
        s.write(tx.repeat(n));
        await wait;
        s.removeAllListeners('data');
        done += n;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  for (const s of conns) s.destroy();
  return (conns.length * TX_PER_CONN) / secs;
}

async function fanout(port) {
  const subs = await Promise.all(Array.from({ length: 50 }, () => connect(port)));
  await Promise.all(subs.map(async (s) => {
    const ok = counter(s, 'subscribe', 1);
    s.write(enc('SUBSCRIBE', 'bench'));
    await ok;
    s.removeAllListeners('data');
  }));
  const pub = await connect(port);
  const received = Promise.all(subs.map((s) => counter(s, '$7\r\nmessage', PUBLISHES)));
  const started = process.hrtime.bigint();
  let sent = 0;
  while (sent < PUBLISHES) {
    const n = Math.min(64, PUBLISHES - sent);
    const acks = counter(pub, '\r\n', n);
    pub.write(enc('PUBLISH', 'bench', 'payload-of-some-32-bytes-length!').repeat(n));
    await acks;
    pub.removeAllListeners('data');
    sent += n;
  }
  await received;
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  for (const s of [...subs, pub]) s.destroy();
  return (PUBLISHES * subs.length) / secs;
}

if (process.env.KV_BENCH_PORT) {
  // profile helper: run the fan-out against an already running server
  console.log(Math.round(await fanout(Number(process.env.KV_BENCH_PORT))));
  process.exit(0);
}

const rows = [];
for (const [name, fn] of [['MULTI + 10 INCR + EXEC (tx/s)', transactions], ['PUBLISH to 50 subscribers (msg/s)', fanout]]) {
  const results = {};
  for (const kind of ['kv', 'redis']) {
    const server = await start(kind);
    await fn(server.port); // warm-up
    results[kind] = await fn(server.port);
    server.stop();
  }
  rows.push([name, Math.round(results.kv), Math.round(results.redis), (results.kv / results.redis).toFixed(2)]);
}
console.log('| benchmark | kv-server | redis-server | kv/redis |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
