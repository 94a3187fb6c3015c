/*
 * CPU cost per request of the data-type commands, kv-server against redis-server, counted as
 * instructions under valgrind's callgrind (wall-clock throughput is noise on a shared machine;
 * instruction counts are not). Each server runs once under callgrind; for each workload the
 * script fills what the workload reads (not counted), zeroes the counters (`callgrind_control
 * -z`), runs one bounded redis-benchmark load, and dumps the counters (`callgrind_control -d`):
 * the dump's total divided by the requests is that workload's instructions per request (idle
 * time between loads is included and negligible). The dumps stay in the output folder for
 * `callgrind_annotate` (per-function costs: where the instructions go).
 *
 * Run: `npm run build && node bench/callgrind-collections.mjs [-n 20000] [-P 16] [--warmup n] [--only lpush,hset-small]`
 * (each workload first runs `--warmup` requests, default n/4, not counted: V8 tiers up under load)
 * (a few minutes: node under callgrind is ~50× slower). Prints a table; writes nothing else
 * than the dumps (KV_CALLGRIND_DIR, default /tmp/kv-callgrind).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('-n', '20000'));
const PIPELINE = opt('-P', '16');
const WARMUP = Number(opt('--warmup', String(N / 4)));
const ONLY = opt('--only', null)?.split(',') ?? null;
const OUT = process.env.KV_CALLGRIND_DIR ?? '/tmp/kv-callgrind';

/**
 * `command key <args of 0> <args of 1> …` for i = 0 … 99,999 in commands of 1,000 (`args(i)`:
 * the arguments for i) — a script would do it in one command, but Lua under valgrind is slow.
 */
function fill(command, key, args) {
  return Array.from({ length: 100 }, (_, c) => [command, key, ...Array.from({ length: 1000 }, (_, i) => args(c * 1000 + i)).flat()]);
}

/** redis-benchmark's `element:__rand_int__` for i. */
const element = (i) => `element:${String(i).padStart(12, '0')}`;

/** name → [fill commands (redis-cli argv lists, not counted), redis-benchmark arguments] */
const WORKLOADS = {
  // redis-benchmark's default keys (no -r; first, as the -r runs below grow the same keys): one
  // key re-written. SADD/ZADD re-add the one member `element:__rand_int__` (no change), HSET
  // overwrites its one field, LPUSH grows one list
  'sadd-1key': [[], ['-t', 'sadd']],
  'zadd-1key': [[], ['-t', 'zadd']],
  'hset-1key': [[], ['-t', 'hset']],
  'lpush-1key': [[], ['-t', 'lpush']],
  lpush: [[], ['-t', 'lpush', '-r', '100000']],
  rpush: [[], ['-t', 'rpush', '-r', '100000']],
  lpop: [[['RPUSH', 'mylist', ...Array.from({ length: 1000 }, (_, i) => `e${i}`)]], ['-r', '100000', 'LPOP', 'mylist']],
  rpop: [[], ['-r', '100000', 'RPOP', 'mylist']],
  lrange_100: [[['DEL', 'mylist'], ['RPUSH', 'mylist', ...Array.from({ length: 600 }, () => 'xxx')]], ['LRANGE', 'mylist', '0', '99']],
  sadd: [[], ['-t', 'sadd', '-r', '100000']],
  spop: [[], ['-t', 'spop', '-r', '100000']],
  hset: [[], ['-t', 'hset', '-r', '100000']],
  zadd: [[], ['-t', 'zadd', '-r', '100000']],
  zpopmin: [[], ['-t', 'zpopmin', '-r', '100000']],
  // the big collections `npm run bench` measures (its warm-up of 1M requests with -r 100000 leaves
  // myset and myhash holding nearly all 100,000 members, so its SADD and HSET mostly find the
  // member), filled first (not counted); zpopmin pops from 100,000 members
  'sadd-big': [fill('SADD', 'myset', (i) => [element(i)]), ['-t', 'sadd', '-r', '100000']],
  'hset-big': [fill('HSET', 'myhash', (i) => [element(i), 'xxx']), ['-t', 'hset', '-r', '100000']],
  'zpopmin-big': [fill('ZADD', 'myzset', (i) => [String(i), element(i)]), ['-t', 'zpopmin', '-r', '100000']],
  // small collections (packed in their records): 1000 keys, ~N/1000 elements each
  'lpush-small': [[], ['-r', '1000', 'LPUSH', 'l:__rand_int__', 'element']],
  'lrange-small': [[], ['-r', '1000', 'LRANGE', 'l:__rand_int__', '0', '-1']],
  'hset-small': [[], ['-r', '1000', 'HSET', 'h:__rand_int__', 'f__rand_int__', 'value']],
  'sadd-small': [[], ['-r', '1000', 'SADD', 's:__rand_int__', 'm__rand_int__']],
  'sadd-intset': [[], ['-r', '1000', 'SADD', 'i:__rand_int__', '__rand_int__']],
  'zadd-small': [[], ['-r', '1000', 'ZADD', 'z:__rand_int__', '__rand_int__', 'm__rand_int__']],
};

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
  return execFileSync('redis-cli', ['-p', String(port), ...argv], { encoding: 'latin1', maxBuffer: 1 << 26 });
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

/**
 * The instructions of the newest dump in `dir` (files `<prefix>.<pid>.<dump>-<thread>`, one per
 * thread): `main`, the JavaScript thread's, and `total`, all threads' (V8's compiler and GC
 * helpers too).
 */
function lastDump(dir, prefix, seen) {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && /\.\d+\.\d+(-\d+)?$/.test(f) && !seen.has(f));
  if (files.length === 0) throw new Error('no new dump');
  const dumpOf = (f) => Number(/\.(\d+)(?:-\d+)?$/.exec(f)[1]);
  const last = Math.max(...files.map(dumpOf));
  let main = 0;
  let total = 0;
  let file = '';
  for (const f of files) {
    seen.add(f);
    if (dumpOf(f) !== last) continue;
    const n = Number(/^(?:summary|totals): (\d+)/m.exec(readFileSync(path.join(dir, f), 'latin1'))[1]);
    total += n;
    if (!/-\d+$/.test(f) || f.endsWith('-01')) {
      main = n;
      file = path.join(dir, f);
    }
  }
  return { main, total, file };
}

async function measure(name, command) {
  const dir = path.join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const prefix = 'cg.out';
  const server = spawn(
    // a thread per file: the JavaScript thread apart from V8's helpers
    'valgrind',
    ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${path.join(dir, prefix)}.%p`, ...command(port)],
    { stdio: 'ignore' },
  );
  await untilUp(port);
  // no workload sets a TTL: kv-server's active expiry cycle then only walks its shards, at a
  // cost per cron tick (wall time), which valgrind's slowdown turns into a cost per request
  if (name === 'kv' && process.env.KV_ACTIVE_EXPIRE !== '1') cli(port, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
  const pid = server.pid;
  const seen = new Set();
  const out = {};
  for (const [w, [fill, bench]] of Object.entries(WORKLOADS)) {
    if (ONLY !== null && !ONLY.includes(w)) continue;
    for (const f of fill) cli(port, f);
    // warm-up (not counted): V8 tiers the hot path up under load
    if (WARMUP > 0) execFileSync('redis-benchmark', ['-p', String(port), '-n', String(WARMUP), '-c', '10', '-P', PIPELINE, '-q', ...bench], { stdio: 'ignore' });
    for (const f of fill) cli(port, f);
    execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
    const started = Date.now();
    execFileSync('redis-benchmark', ['-p', String(port), '-n', String(N), '-c', '10', '-P', PIPELINE, '-q', ...bench], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['-d', w, String(pid)], { stdio: 'ignore' });
    await sleep(300);
    const { main, total, file } = lastDump(dir, prefix, seen);
    out[w] = { main: main / N, total: total / N, file };
    console.error(`${name} ${w}: ${(main / N).toFixed(0)} instructions/request on the main thread, ${(total / N).toFixed(0)} in all (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  try {
    cli(port, ['SHUTDOWN', 'NOSAVE']);
  } catch {}
  await new Promise((r) => server.on('exit', r));
  return out;
}

const KV_DIR = process.env.KV_DIR ?? '.';
// KV_NODE_FLAGS: e.g. `--perf-basic-prof` (V8 writes /tmp/perf-<pid>.map, naming the JIT code's
// addresses in the dumps: `node bench/callgrind-jit-top.mjs <dump> <map>`)
const NODE_FLAGS = process.env.KV_NODE_FLAGS?.split(' ').filter((f) => f !== '') ?? [];
const kv = await measure('kv', (port) => ['node', ...NODE_FLAGS, path.join(KV_DIR, 'dist/server/main.js'), '--port', String(port)]);
const redis = process.env.KV_ONLY === '1' ? null : await measure('redis', (port) => ['redis-server', '--port', String(port), '--save', '', '--appendonly', 'no']);

console.log(`instructions per request (callgrind), redis-benchmark -n ${N} -c 10 -P ${PIPELINE}`);
console.log('| workload | kv-server main thread | kv-server all threads | redis-server | kv/redis (main) | kv/redis (all) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const w of Object.keys(kv)) {
  const a = kv[w];
  const b = redis === null ? NaN : redis[w].total;
  console.log(`| ${w} | ${a.main.toFixed(0)} | ${a.total.toFixed(0)} | ${b.toFixed(0)} | ${(a.main / b).toFixed(2)}× | ${(a.total / b).toFixed(2)}× |`);
}
