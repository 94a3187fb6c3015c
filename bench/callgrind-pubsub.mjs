#!/usr/bin/env node
/*
 * CPU cost of issue 9's PUBLISH fan-out (per delivered message) and MULTI + 10 INCR + EXEC (per
 * transaction), kv-server against redis-server, counted as instructions under valgrind's
 * callgrind; optionally the write syscalls per delivered message under `strace -c -f`.
 * The loads are bench/transactions-pubsub.mjs's own (`fanout`: 50 subscribers, one publisher
 * pipelining PUBLISH 64 deep; `tx`: 20 connections, 16 transactions deep), run against the server
 * through its KV_BENCH_PORT hook. Each server runs once under callgrind; for each workload the
 * script runs `--warmups` loads (not counted: V8 tiers code up slowly under valgrind), zeroes the
 * counters (`callgrind_control -z`), runs one load and dumps the counters (`callgrind_control
 * -d`): the dump's instructions divided by the deliveries (or transactions). kv-server "main" is
 * its JavaScript thread, "all" adds V8's compiler and GC threads. The dumps stay in the output
 * folder.
 *
 * `--top N` prints the N costliest functions of kv-server's main thread per item: the server runs
 * with `--perf-basic-prof`, and callgrind's names of JIT code (bare addresses) are mapped through
 * /tmp/perf-<pid>.map to the JavaScript function.
 *
 * `--strace`: instead of callgrind, each server runs plain (no valgrind) and `strace -c -f -p`
 * counts its syscalls during one load (after one warm-up): writes per delivered message.
 *
 * Run: `npm run build && node bench/callgrind-pubsub.mjs [--only fanout,tx] [--servers kv,redis]
 *       [--scale 0.05] [--warmups 4] [--top 30 [--inclusive]] [--strace]` (KV_DIR: the checkout whose dist/
 *       runs; KV_CALLGRIND_DIR: where dumps go, default /tmp/kv-callgrind-pubsub). A few minutes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ONLY = opt('--only', 'fanout,tx').split(',');
const SERVERS = opt('--servers', 'kv,redis').split(',');
const SCALE = Number(opt('--scale', '0.05'));
const WARMUPS = Number(opt('--warmups', '4'));
const TOP = Number(opt('--top', '0'));
/** --top lists inclusive costs (a function with what it calls) instead of self costs */
const INCLUSIVE = args.includes('--inclusive');
const STRACE = args.includes('--strace');
const OUT = process.env.KV_CALLGRIND_DIR ?? '/tmp/kv-callgrind-pubsub';
const KV_DIR = process.env.KV_DIR ?? '.';
const LOAD_SCRIPT = fileURLToPath(new URL('./transactions-pubsub.mjs', import.meta.url));

/** workload → items one load counts at scale 1 (bench/transactions-pubsub.mjs's constants) */
const ITEMS = { fanout: 20000 * 50, tx: 5000 * 20 };
const UNIT = { fanout: 'delivery', tx: 'transaction' };

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

function load(port, workload) {
  execFileSync(process.execPath, [LOAD_SCRIPT], {
    stdio: 'ignore',
    env: { ...process.env, KV_BENCH_PORT: String(port), KV_BENCH_ONLY: workload, KV_BENCH_SCALE: String(SCALE) },
  });
}

/** The instructions of the newest dump: the main thread's and all threads', and its files. */
function lastDump(dir, prefix, seen) {
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix) && /\.\d+\.\d+(-\d+)?$/.test(f) && !seen.has(f));
  if (files.length === 0) throw new Error('no new dump');
  const dumpOf = (f) => Number(/\.(\d+)(?:-\d+)?$/.exec(f)[1]);
  const last = Math.max(...files.map(dumpOf));
  let main = 0;
  let total = 0;
  let mainFile = null;
  for (const f of files) {
    seen.add(f);
    if (dumpOf(f) !== last) continue;
    const n = Number(/^(?:summary|totals): (\d+)/m.exec(readFileSync(path.join(dir, f), 'latin1'))[1]);
    total += n;
    if (!/-\d+$/.test(f) || f.endsWith('-01')) {
      main = n;
      mainFile = path.join(dir, f);
    }
  }
  return { main, total, mainFile };
}

/** perf-basic-prof map of `pid`: sorted [start, end, name] */
function perfMap(pid) {
  const file = `/tmp/perf-${pid}.map`;
  if (!existsSync(file)) return [];
  const rows = [];
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m) {
      const start = parseInt(m[1], 16);
      rows.push([start, start + parseInt(m[2], 16), m[3]]);
    }
  }
  return rows.sort((a, b) => a[0] - b[0]);
}

function lookup(map, addr) {
  let lo = 0;
  let hi = map.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid][0] <= addr) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // a later entry (code moved or re-tiered at the same address) wins: the map is append-only
  return best >= 0 && addr < map[best][1] ? map[best][2] : null;
}

/** Self cost per function of a callgrind dump, JIT addresses named through the perf map. */
function topFunctions(file, map, items, n) {
  const out = execFileSync('callgrind_annotate', ['--threshold=100', '--auto=no', `--inclusive=${INCLUSIVE ? 'yes' : 'no'}`, file], { encoding: 'latin1', maxBuffer: 64 << 20 });
  const cost = new Map();
  for (const line of out.split('\n')) {
    const m = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(?:\S*?:)?(.*)$/.exec(line);
    if (!m || !/\d/.test(m[1])) continue;
    let name = m[2].trim();
    const addr = /^0x([0-9a-f]+)/i.exec(name);
    if (addr) name = lookup(map, parseInt(addr[1], 16)) ?? 'JIT code (unmapped)';
    if (name.startsWith('[')) continue;
    const c = Number(m[1].replace(/,/g, ''));
    cost.set(name, (cost.get(name) ?? 0) + c);
  }
  const all = Number(/^\s*([\d,]+)\s+\(100\.0+%\)\s+PROGRAM TOTALS/m.exec(out)?.[1].replace(/,/g, '') ?? Infinity);
  // the entries that carry the whole program (PROGRAM TOTALS, main, the event loop) are not self costs
  return [...cost.entries()].filter(([, c]) => c < 0.98 * all).sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, c]) => `${(c / items).toFixed(0).padStart(8)}  ${name}`);
}

async function measure(kind) {
  const dir = path.join(OUT, kind);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const prefix = 'cg.out';
  const command =
    kind === 'kv'
      ? ['node', ...(TOP > 0 ? ['--perf-basic-prof'] : []), path.join(KV_DIR, 'dist/server/main.js'), '--port', String(port), '--loglevel', 'warning']
      : ['redis-server', '--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
  const server = STRACE
    ? spawn(command[0], command.slice(1), { stdio: 'ignore' })
    : spawn('valgrind', ['--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${path.join(dir, prefix)}.%p`, ...command], { stdio: 'ignore' });
  await untilUp(port);
  const pid = server.pid;
  const seen = new Set();
  const out = {};
  for (const w of ONLY) {
    const items = ITEMS[w] * SCALE;
    if (STRACE) {
      load(port, w);
      const file = path.join(dir, `strace-${w}`);
      const tracer = spawn('strace', ['-c', '-f', '-o', file, '-p', String(pid)], { stdio: 'ignore' });
      await sleep(1000);
      load(port, w);
      tracer.kill('SIGINT');
      await new Promise((r) => tracer.on('exit', r));
      const text = readFileSync(file, 'latin1');
      const calls = (name) => Number(new RegExp(`^\\s*[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+(\\d+)\\s+(?:\\d+\\s+)?${name}$`, 'm').exec(text)?.[1] ?? 0);
      const writes = calls('write') + calls('writev') + calls('sendmsg');
      const reads = calls('read') + calls('recvfrom');
      const waits = calls('epoll_wait') + calls('epoll_pwait');
      out[w] = { writes: writes / items, reads: reads / items, waits };
      console.error(`${kind} ${w}: ${writes} writes, ${reads} reads, ${waits} epoll waits for ${items} ${UNIT[w]}s`);
      continue;
    }
    for (let i = 0; i < WARMUPS; i++) load(port, w);
    execFileSync('callgrind_control', ['-z', String(pid)], { stdio: 'ignore' });
    const started = Date.now();
    load(port, w);
    execFileSync('callgrind_control', ['-d', w, String(pid)], { stdio: 'ignore' });
    await sleep(500);
    const { main, total, mainFile } = lastDump(dir, prefix, seen);
    out[w] = { main: main / items, total: total / items };
    console.error(`${kind} ${w}: ${(main / items).toFixed(0)} instructions/${UNIT[w]} on the main thread, ${(total / items).toFixed(0)} in all (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (TOP > 0 && kind === 'kv') console.error(topFunctions(mainFile, perfMap(pid), items, TOP).join('\n'));
  }
  try {
    cli(port, ['SHUTDOWN', 'NOSAVE']);
  } catch {}
  await new Promise((r) => server.on('exit', r));
  return out;
}

const results = {};
for (const kind of SERVERS) results[kind] = await measure(kind);

const f = (x, d = 0) => (x === undefined ? '-' : x.toFixed(d));
if (STRACE) {
  console.log(`syscalls per delivered message / transaction (strace -c -f), scale ${SCALE} (${KV_DIR})`);
  console.log('| workload | kv writes | redis writes | kv reads | redis reads |\n| --- | --- | --- | --- | --- |');
  for (const w of ONLY) console.log(`| ${w} | ${f(results.kv?.[w]?.writes, 4)} | ${f(results.redis?.[w]?.writes, 4)} | ${f(results.kv?.[w]?.reads, 4)} | ${f(results.redis?.[w]?.reads, 4)} |`);
} else {
  console.log(`instructions per delivery (fanout) / per transaction (tx), callgrind, scale ${SCALE}, ${WARMUPS} warm-up loads (${KV_DIR})`);
  console.log('| workload | kv-server main thread | kv-server all threads | redis-server | kv/redis (main) |\n| --- | --- | --- | --- | --- |');
  for (const w of ONLY) {
    const a = results.kv?.[w];
    const b = results.redis?.[w];
    console.log(`| ${w} | ${f(a?.main)} | ${f(a?.total)} | ${f(b?.total)} | ${a && b ? (a.main / b.total).toFixed(2) + '×' : '-'} |`);
  }
}
