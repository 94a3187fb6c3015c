#!/usr/bin/env node
/*
 * MULTI/EXEC of 10 commands, PUBLISH fan-out to 50 subscribers and EVALSHA of a small script,
 * kv-server against redis-server side by side in the same run (`npm run build` first; `--quick`
 * for a smoke run; `--rounds N` alternates kv and Redis N times and reports the median ratio).
 *  - transactions: 20 connections, each sending MULTI, 10 × INCR, EXEC, pipelined 16
 *    transactions deep; transactions per second.
 *  - fan-out: 50 subscribers on one channel, one publisher pipelining PUBLISH 64 deep; messages
 *    delivered per second (each PUBLISH delivers 50).
 *  - EVALSHA: `return redis.call('INCR', KEYS[1])` on 20 connections, unpipelined (one
 *    request in flight per connection) and pipelined 16 deep; calls per second.
 * Prints a table of rates and the kv/redis ratio. Not a test: nothing here runs under npm test.
 * `--only tx,fanout,evalsha,evalsha-p16` runs some of them.
 * Profiling: `KV_BENCH_PORT=<port> KV_BENCH_ONLY=fanout|tx|evalsha|evalsha-p16` runs one load
 * against a server already running (e.g. under valgrind); KV_BENCH_SCALE=0.1 shortens it.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createHash } from 'node:crypto';

const quick = process.argv.includes('--quick');
const scale = Number(process.env.KV_BENCH_SCALE ?? (quick ? 0.1 : 1));
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 1;
const TX_PER_CONN = Math.round(5000 * scale);
const PUBLISHES = Math.round(20000 * scale);
const EVALS_PER_CONN = Math.round(5000 * scale);
const SCRIPT = "return redis.call('INCR', KEYS[1])";

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

/** EVALSHA of SCRIPT on 20 connections, `depth` calls in flight on each; calls per second. */
async function evalsha(port, depth) {
  const conns = await Promise.all(Array.from({ length: 20 }, () => connect(port)));
  const load = conns[0];
  const loaded = counter(load, '\r\n', 1);
  load.write(enc('SCRIPT', 'LOAD', SCRIPT));
  await loaded;
  load.removeAllListeners('data');
  const sha = createHash('sha1').update(SCRIPT).digest('hex');
  const call = enc('EVALSHA', sha, '1', 'counter');
  const started = process.hrtime.bigint();
  await Promise.all(
    conns.map(async (s) => {
      let done = 0;
      while (done < EVALS_PER_CONN) {
        const n = Math.min(depth, EVALS_PER_CONN - done);
        const wait = counter(s, '\r\n', n);
        s.write(call.repeat(n));
        await wait;
        s.removeAllListeners('data');
        done += n;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  for (const s of conns) s.destroy();
  return (conns.length * EVALS_PER_CONN) / secs;
}

const BENCHES = [
  ['tx', 'MULTI + 10 INCR + EXEC (tx/s)', transactions],
  ['fanout', 'PUBLISH to 50 subscribers (msg/s)', fanout],
  ['evalsha', 'EVALSHA, unpipelined (calls/s)', (port) => evalsha(port, 1)],
  ['evalsha-p16', 'EVALSHA, pipelined 16 (calls/s)', (port) => evalsha(port, 16)],
];

if (process.env.KV_BENCH_PORT) {
  // profile helper: run one load against an already running server
  const only = process.env.KV_BENCH_ONLY ?? 'fanout';
  const [, , fn] = BENCHES.find(([id]) => id === only);
  console.log(Math.round(await fn(Number(process.env.KV_BENCH_PORT))));
  process.exit(0);
}

const onlyAt = process.argv.indexOf('--only');
const selected = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : null;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [id, name, fn] of BENCHES) {
  if (selected !== null && !selected.includes(id)) continue;
  const servers = { kv: await start('kv'), redis: await start('redis') };
  const rates = { kv: [], redis: [] };
  for (const kind of ['kv', 'redis']) await fn(servers[kind].port); // warm-up
  // interleaved: kv, redis, kv, redis… so that a load change on the machine hits both
  for (let i = 0; i < ROUNDS; i++) for (const kind of ['kv', 'redis']) rates[kind].push(await fn(servers[kind].port));
  for (const s of Object.values(servers)) s.stop();
  const ratios = rates.kv.map((k, i) => k / rates.redis[i]);
  rows.push([name, Math.round(median(rates.kv)), Math.round(median(rates.redis)), median(ratios).toFixed(2) + (ROUNDS > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '')]);
}
console.log('| benchmark | kv-server | redis-server | kv/redis |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
