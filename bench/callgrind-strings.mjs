/*
 * CPU cost per request of random-key GET and SET (issue 7's workload: `-r 1000000 -c 50`),
 * unpipelined and pipelined, kv-server against redis-server, counted as instructions under
 * valgrind's callgrind (wall-clock throughput is noise on a shared machine; instruction counts
 * are not). Each server runs once under callgrind and is loaded with `--keys` keys (redis-benchmark's
 * `key:000000000000` names, not counted); for each workload the script runs a warm-up (not
 * counted: V8 tiers up under load), zeroes the counters (`callgrind_control -z`), runs one
 * bounded redis-benchmark load and dumps the counters (`callgrind_control -d`): the dump's total
 * divided by the requests is that workload's instructions per request. The dumps stay in the
 * output folder for `callgrind_annotate`.
 *
 * Besides GET and SET: `incr-16` (redis-benchmark's INCR of `counter:<rand>`, pipelined 16) and
 * `multi-16`, issue 9's transaction load (bench/transactions-pubsub.mjs `tx`: 20 connections
 * sending MULTI + 10 × INCR counter + EXEC, 16 transactions deep), counted per *transaction*
 * (-n / 10 of them, so that it sends about as many commands as the others).
 *
 * Run: `npm run build && node bench/callgrind-strings.mjs [-n 20000] [--keys 1000000] [-r keys] [-d 3]
 *       [--only set-1,get-16,incr-16,multi-16] [--servers kv,redis] [--warmup requests]` (KV_DIR: the checkout whose dist/ runs,
 *       KV_CALLGRIND_DIR: where dumps go, default /tmp/kv-callgrind-strings). A few minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Conn } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('-n', '20000'));
/** requests of the warm-up before each counted load (V8 tiers code up under valgrind slowly) */
const WARMUP = Number(opt('--warmup', String(N / 2)));
const KEYS = Number(opt('--keys', '1000000'));
/** the key range of the random keys (default: the keys loaded) */
const RANGE = opt('-r', String(KEYS));
const D = opt('-d', '3');
const CLIENTS = opt('-c', '50');
const ONLY = opt('--only', null)?.split(',') ?? null;
const SERVERS = opt('--servers', 'kv,redis').split(',');
const OUT = process.env.KV_CALLGRIND_DIR ?? '/tmp/kv-callgrind-strings';
const KV_DIR = process.env.KV_DIR ?? '.';

/** name → [redis-benchmark test, pipeline depth] or the transactions load ('multi') */
const WORKLOADS = {
  'set-1': ['set', 1],
  'get-1': ['get', 1],
  'set-16': ['set', 16],
  'get-16': ['get', 16],
  'incr-16': ['incr', 16],
  'multi-16': ['multi', 16],
};
const TX_SCRIPT = fileURLToPath(new URL('./transactions-pubsub.mjs', import.meta.url));

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cli(port, argv) {
  return execFileSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
}

async function untilUp(port) {
  for (let i = 0; i < 600; i++) {
    try {
      if (cli(port, ['PING']).trim() === 'PONG') return;
    } catch {}
    await sleep(500);
  }
  throw new Error(`server on ${port} never answered`);
}

/** Loads keys 0..count-1 with a D-byte value, pipelined. */
async function load(port, count) {
  const conn = await Conn.open(port);
  const value = 'x'.repeat(Number(D));
  try {
    for (let from = 0; from < count; from += 10_000) {
      const to = Math.min(count, from + 10_000);
      let s = '';
      for (let i = from; i < to; i++) {
        const k = `key:${String(i).padStart(12, '0')}`;
        s += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${value.length}\r\n${value}\r\n`;
      }
      await conn.send(Buffer.from(s, 'latin1'), to - from);
    }
  } finally {
    conn.close();
  }
}

/** The instructions of the newest dump: the main thread's and all threads'. */
function lastDump(dir, prefix, seen) {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && /\.\d+\.\d+(-\d+)?$/.test(f) && !seen.has(f));
  if (files.length === 0) throw new Error('no new dump');
  const dumpOf = (f) => Number(/\.(\d+)(?:-\d+)?$/.exec(f)[1]);
  const last = Math.max(...files.map(dumpOf));
  let main = 0;
  let total = 0;
  for (const f of files) {
    seen.add(f);
    if (dumpOf(f) !== last) continue;
    const n = Number(/^(?:summary|totals): (\d+)/m.exec(readFileSync(path.join(dir, f), 'latin1'))[1]);
    total += n;
    if (!/-\d+$/.test(f) || f.endsWith('-01')) main = n;
  }
  return { main, total };
}

async function measure(name, command) {
  const dir = path.join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const prefix = 'cg.out';
  const server = spawn('valgrind', ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${path.join(dir, prefix)}.%p`, ...command(port)], { stdio: 'ignore' });
  await untilUp(port);
  const pid = server.pid;
  const t0 = Date.now();
  await load(port, KEYS);
  console.error(`${name}: loaded ${KEYS} keys in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const seen = new Set();
  const out = {};
  for (const [w, [test, pipeline]] of Object.entries(WORKLOADS)) {
    if (ONLY !== null && !ONLY.includes(w)) continue;
    // the transactions load: 20 connections × 5000 × scale transactions of 12 commands
    const transactions = (n) =>
      execFileSync(process.execPath, [TX_SCRIPT], { stdio: 'ignore', env: { ...process.env, KV_BENCH_PORT: String(port), KV_BENCH_ONLY: 'tx', KV_BENCH_SCALE: String(n / 100_000) } });
    const bench = (n) =>
      test === 'multi'
        ? transactions(n / 10)
        : execFileSync('redis-benchmark', ['-p', String(port), '-n', String(n), '-c', CLIENTS, '-P', String(pipeline), '-r', RANGE, '-d', D, '-q', '-t', test], { stdio: 'ignore' });
    const perItem = test === 'multi' ? N / 10 : N;
    bench(WARMUP);
    execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
    const started = Date.now();
    bench(N);
    execFileSync('callgrind_control', ['-d', w, String(pid)], { stdio: 'ignore' });
    await sleep(300);
    const { main, total } = lastDump(dir, prefix, seen);
    out[w] = { main: main / perItem, total: total / perItem };
    const unit = test === 'multi' ? 'transaction' : 'request';
    console.error(`${name} ${w}: ${(main / perItem).toFixed(0)} instructions/${unit} on the main thread, ${(total / perItem).toFixed(0)} in all (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  try {
    cli(port, ['SHUTDOWN', 'NOSAVE']);
  } catch {}
  await new Promise((r) => server.on('exit', r));
  return out;
}

const results = {};
if (SERVERS.includes('kv')) results.kv = await measure('kv', (port) => ['node', ...(process.env.KV_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(KV_DIR, 'dist/server/main.js'), '--port', String(port)]);
if (SERVERS.includes('redis')) results.redis = await measure('redis', (port) => ['redis-server', '--port', String(port), '--save', '', '--appendonly', 'no']);

console.log(`instructions per request (callgrind; multi-16: per transaction), redis-benchmark -n ${N} -c ${CLIENTS} -r ${RANGE} -d ${D}, warm-up ${WARMUP}, ${KEYS} keys loaded (${KV_DIR})`);
console.log('| workload | kv-server main thread | kv-server all threads | redis-server | kv/redis (all) |');
console.log('| --- | --- | --- | --- | --- |');
for (const w of Object.keys(results.kv ?? results.redis)) {
  const a = results.kv?.[w];
  const b = results.redis?.[w];
  const f = (x) => (x === undefined ? '-' : x.toFixed(0));
  console.log(`| ${w} | ${f(a?.main)} | ${f(a?.total)} | ${f(b?.total)} | ${a && b ? (a.total / b.total).toFixed(2) + '×' : '-'} |`);
}
