#!/usr/bin/env node
/*
 * `npm run bench:startup`: how long until a server answers its first PING.
 *  - in-process: `await startServer({ port: 0 })` from the package's embedding API (dist/index.js),
 *    then a PING over TCP — what a test suite pays per server (the module is loaded once, as a
 *    test file imports it once; the first start in the process is reported apart);
 *  - a spawned kv-server (node dist/server/main.js) and a spawned redis-server: spawn → first PONG.
 * Then the Unix socket: redis-benchmark -s against both servers (PING_INLINE, SET, GET; -c 50,
 * unpipelined and -P 16), interleaved, servers and benchmark pinned (taskset) as bench/lib.mjs does.
 * Options: --runs <n> (default 15 starts per kind, 3 benchmark rounds), --no-unix.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { machineInfo, median, PINNING, pinned, ROOT, sleep, startKv, startRedis, table, writeSection } from './lib.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 15;
const ROUNDS = Number(process.env.KV_BENCH_ROUNDS ?? 3);

function ping(port, path) {
  return new Promise((resolve, reject) => {
    const s = path ? connect(path) : connect({ host: '127.0.0.1', port });
    s.once('error', reject);
    s.once('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(String(d));
    });
  });
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;

const t0 = performance.now();
const { startServer } = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
const importMs = performance.now() - t0;

const inProcess = [];
/** CPU time of startServer() itself (user + system): what a loaded machine distorts least */
const inProcessCpu = [];
let firstInProcess = 0;
for (let i = 0; i <= RUNS; i++) {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const server = await startServer({ port: 0 });
  const cpu = process.cpuUsage(cpu0);
  if (i !== 0) inProcessCpu.push((cpu.user + cpu.system) / 1000);
  const reply = await ping(server.port);
  const ms = performance.now() - start;
  if (reply !== '+PONG\r\n') throw new Error(`in-process server answered ${JSON.stringify(reply)}`);
  await server.close();
  if (i === 0) firstInProcess = ms;
  else inProcess.push(ms);
}

const spawnedKv = [];
const spawnedRedis = [];
for (let i = 0; i < Math.min(RUNS, 7); i++) {
  const kv = await startKv();
  spawnedKv.push(kv.startMs);
  await kv.stop();
  const redis = await startRedis();
  spawnedRedis.push(redis.startMs);
  await redis.stop();
}

const startRows = [
  ['in-process `startServer()` → PONG (median)', fmt(median(inProcess)), `${(median(inProcess) / median(spawnedRedis)).toFixed(2)}×`],
  ['in-process, fastest start → PONG', fmt(Math.min(...inProcess)), ''],
  ['in-process, CPU time of `startServer()` (median)', fmt(median(inProcessCpu)), ''],
  ['in-process, first server of the process (module loaded before)', fmt(firstInProcess), ''],
  ['`import("kv-server")` once per process', fmt(importMs), ''],
  ['spawned kv-server → PONG (median)', fmt(median(spawnedKv)), `${(median(spawnedKv) / median(spawnedRedis)).toFixed(2)}×`],
  ['spawned redis-server → PONG (median)', fmt(median(spawnedRedis)), '1.00×'],
];
console.log(table(['', 'time', 'vs spawned redis'], startRows));

/* ---------- the Unix socket ---------- */

function benchmark(socket, extra) {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = pinned('client', 'redis-benchmark', ['-s', socket, '-c', '50', '--csv', ...extra]);
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.once('error', reject);
    p.once('exit', () => {
      const rows = {};
      for (const line of out.trim().split('\n').slice(1)) {
        const cells = line.split(',').map((c) => c.replace(/"/g, ''));
        rows[cells[0]] = Number(cells[1]);
      }
      resolve(rows);
    });
  });
}

let unixSection = '';
if (!args.includes('--no-unix')) {
  const dir = mkdtempSync(join(tmpdir(), 'kv-bench-unix-'));
  const kvSock = join(dir, 'kv.sock');
  const redisSock = join(dir, 'redis.sock');
  const kv = await startKv({ args: ['--unixsocket', kvSock, '--save', ''] });
  const redis = await startRedis({ args: ['--unixsocket', redisSock] });
  const modes = [
    ['-c 50', ['-n', '20000', '-t', 'ping_inline,set,get']],
    ['-c 50 -P 16', ['-n', '100000', '-P', '16', '-t', 'ping_inline,set,get']],
  ];
  // warm-up: V8 tiers kv-server's hot path up under load (bench/redis-benchmark.mjs)
  await benchmark(kvSock, ['-n', '100000', '-P', '16', '-t', 'set,get']);
  const results = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [mode, extra] of modes) {
      for (const [name, sock] of [['kv', kvSock], ['redis', redisSock]]) {
        const got = await benchmark(sock, extra);
        for (const [test, rps] of Object.entries(got)) ((results[`${mode}|${test}`] ??= { kv: [], redis: [] })[name]).push(rps);
      }
      await sleep(100);
    }
  }
  await kv.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  const rows = Object.entries(results).map(([key, v]) => {
    const [mode, test] = key.split('|');
    const k = median(v.kv);
    const rd = median(v.redis);
    return [mode, test, Math.round(k).toLocaleString('en-US'), Math.round(rd).toLocaleString('en-US'), `${(k / rd).toFixed(2)}×`];
  });
  const unixTable = table(['mode', 'test', 'kv req/s', 'redis req/s', 'kv/redis'], rows);
  console.log(`\n${unixTable}`);
  unixSection = `\n### Unix socket: redis-benchmark -s\n\nMedian of ${ROUNDS} interleaved rounds per cell, after a warm-up of kv-server; ${PINNING}.\n\n${unixTable}\n`;
}

const note = process.env.KV_BENCH_NOTE ? `\n**${process.env.KV_BENCH_NOTE}**\n` : '';
writeSection(
  'startup',
  `## Start time and the Unix socket

\`npm run bench:startup\`: time from \`startServer()\` (the embedding API, in this process) to the first PONG over TCP, median of ${RUNS} starts after a first one (which also warms the code); and spawn → first PONG for a kv-server and a redis-server process, median of ${spawnedKv.length} each. Target: under 20 ms in-process.
${note}
${machineInfo()}

${table(['', 'time', 'vs spawned redis'], startRows)}
${unixSection}`,
);
