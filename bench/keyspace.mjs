#!/usr/bin/env node
/*
 * `npm run bench:keyspace`: kv-server's keyspace under a cache's workload — a million random
 * keys — against a real redis-server in the same run.
 *
 * Both servers run pinned to core 1 and redis-benchmark to core 0 (taskset). Each server is
 * loaded with 1M keys (`key:000000000000`… as redis-benchmark's -r names them) and warmed up
 * (1M pipelined random SETs), then random-key SET and GET (`-r 1000000`, 3-byte and `-d 100`
 * values, `-c 50`) run unpipelined and with `-P 16`, kv and redis interleaved, `runs` times
 * each: the tables give the median req/s, p50/p99/max (ms) and the kv/redis ratio.
 *
 * Then, on fresh servers: RSS per key after 1M `SET key:N <10 bytes>` without and with a TTL
 * (`EX 100000`) — (RSS after − RSS empty) / keys — and the longest event-loop stall of kv-server
 * during a random-overwrite run (SET -r 1000000 -d 500 -P 16, measured inside the server by
 * bench/stall-probe.mjs with monitorEventLoopDelay), next to both servers' worst request latency;
 * and free-space reuse: RSS after filling the keys with 1–1000-byte values and after 20 s of
 * random overwrites of the same sizes (the issue's target: within 1.3x).
 *
 * Options: --quick (100k keys, 1 run, fewer requests; does not touch RESULTS.md), --runs <r>,
 *          --keys <n>, -n <requests per unpipelined run> (default 50,000; pipelined runs 6x),
 *          --only throughput,per-key,stalls,fragmentation (some sections only).
 *          KV_BENCH_BASELINE=<dist/server/main.js of an earlier build> measures it too, interleaved
 *          ("kv-before"), with the kv/kv-before ratio.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conn, machineInfo, median, rssBytes, sleep, startKv, startRedis, table, writeSection } from './lib.mjs';

const CLIENTS = 50;
const SERVER_CORE = '1';
const CLIENT_CORE = '0';

function parseArgs(argv) {
  const opts = { quick: false, runs: 3, keys: 1_000_000, n: 50_000, nPipelined: 300_000, stallRequests: 1_000_000, fragSeconds: 20, only: null };
  let runsSet = false;
  let keysSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--runs') {
      opts.runs = Number(argv[++i]);
      runsSet = true;
    } else if (a === '--keys') {
      opts.keys = Number(argv[++i]);
      keysSet = true;
    } else if (a === '--only') {
      opts.only = new Set(argv[++i].split(','));
    } else if (a === '-n') {
      opts.n = Number(argv[++i]);
      opts.nPipelined = 6 * opts.n;
    } else throw new Error(`unknown option ${a}`);
  }
  if (opts.quick) {
    if (!runsSet) opts.runs = 1;
    if (!keysSet) opts.keys = 100_000;
    opts.n = 20_000;
    opts.nPipelined = 100_000;
    opts.stallRequests = 200_000;
    opts.fragSeconds = 3;
  }
  return opts;
}

/** Moves every thread of `pid` to `core`. */
function pin(pid, core) {
  spawnSync('taskset', ['-a', '-p', '-c', core, String(pid)], { stdio: 'ignore' });
}

/** The name redis-benchmark gives key i under -r: `key:` and 12 digits. */
const benchKey = (i) => `key:${String(i).padStart(12, '0')}`;

/** Loads `count` keys with SET key value [extra…], pipelined in batches. */
async function load(port, count, key, value, extra = []) {
  const conn = await Conn.open(port);
  try {
    const tail = extra.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
    const head = `*${3 + extra.length}\r\n$3\r\nSET\r\n`;
    const valuePart = `$${value.length}\r\n${value}\r\n`;
    const batch = 10_000;
    const inflight = [];
    for (let from = 0; from < count; from += batch) {
      const to = Math.min(count, from + batch);
      let s = '';
      for (let i = from; i < to; i++) {
        const k = key(i);
        s += `${head}$${k.length}\r\n${k}\r\n${valuePart}${tail}`;
      }
      inflight.push(conn.send(Buffer.from(s, 'latin1'), to - from));
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
  } finally {
    conn.close();
  }
}

/** One redis-benchmark run; resolves with { rps, p50, p99, max } or { error }. */
function bench(port, test, { n, pipeline, d = 3, keys }) {
  const args = ['-c', CLIENT_CORE, 'redis-benchmark', '-h', '127.0.0.1', '-p', String(port), '-c', String(CLIENTS), '-n', String(n), '-P', String(pipeline), '-d', String(d), '-r', String(keys), '-t', test, '--csv'];
  return new Promise((resolve) => {
    const p = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (x) => (out += x));
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('exit', () => {
      clearTimeout(timer);
      const line = out.trim().split('\n').find((l) => l.startsWith(`"${test.toUpperCase()}"`));
      if (!line) return resolve({ error: out.trim().slice(-200) || 'no output' });
      // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
      const f = line.split(',').map((x) => x.replace(/"/g, ''));
      resolve({ rps: Number(f[1]), p50: Number(f[4]), p99: Number(f[6]), max: Number(f[7]) });
    });
  });
}

/** KV_BENCH_BASELINE: the dist/server/main.js of an earlier build, measured beside ("kv-before"). */
const BASELINE = process.env.KV_BENCH_BASELINE ?? null;
const KINDS = BASELINE === null ? ['kv', 'redis'] : ['kv', 'kv-before', 'redis'];

async function started(kind, opts = {}) {
  const s =
    kind === 'kv' ? await startKv(opts) : kind === 'kv-before' ? await startKv({ ...opts, main: BASELINE, name: 'kv-before' }) : await startRedis();
  pin(s.pid, SERVER_CORE);
  return s;
}

const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

async function throughput(opts) {
  const servers = {};
  for (const kind of KINDS) servers[kind] = await started(kind);
  const rows = [];
  try {
    for (const s of Object.values(servers)) {
      const t0 = performance.now();
      await load(s.port, opts.keys, benchKey, 'xxx');
      console.log(`${s.name}: loaded ${opts.keys} keys in ${fmt((performance.now() - t0) / 1000, 1)} s`);
      await bench(s.port, 'set', { n: opts.quick ? 100_000 : 1_000_000, pipeline: 16, keys: opts.keys });
    }
    for (const pipeline of [1, 16]) {
      for (const d of [3, 100]) {
        for (const test of ['set', 'get']) {
          const n = pipeline === 1 ? opts.n : opts.nPipelined;
          const res = Object.fromEntries(KINDS.map((k) => [k, []]));
          for (let r = 0; r < opts.runs; r++) {
            for (const kind of KINDS) res[kind].push(await bench(servers[kind].port, test, { n, pipeline, d, keys: opts.keys }));
          }
          const m = (kind, f) => median(res[kind].filter((x) => !x.error).map((x) => x[f]));
          const fig = Object.fromEntries(KINDS.map((k) => [k, { rps: m(k, 'rps'), p50: m(k, 'p50'), p99: m(k, 'p99'), max: m(k, 'max') }]));
          const row = [`${test.toUpperCase()} -d ${d}${pipeline > 1 ? ` -P ${pipeline}` : ''}`];
          for (const k of KINDS) row.push(fmt(fig[k].rps), `${fmt(fig[k].p50, 2)} / ${fmt(fig[k].p99, 2)} / ${fmt(fig[k].max, 1)}`);
          row.push(`${fmt(fig.kv.rps / fig.redis.rps, 2)}x`, `${fmt(fig.kv.p99 / fig.redis.p99, 2)}x`);
          if (BASELINE !== null) row.push(`${fmt(fig.kv.rps / fig['kv-before'].rps, 2)}x`);
          console.log(row.join(' | '));
          rows.push(row);
        }
      }
    }
  } finally {
    for (const s of Object.values(servers)) await s.stop();
  }
  const header = ['test (-r keys, -c 50)'];
  for (const k of KINDS) header.push(`${k} req/s`, `${k} p50 / p99 / max ms`);
  header.push('req/s kv/redis', 'p99 kv/redis');
  if (BASELINE !== null) header.push('req/s kv/kv-before');
  return table(header, rows);
}

async function perKey(opts) {
  const rows = [];
  for (const ttl of [false, true]) {
    const cells = {};
    for (const kind of KINDS) {
      const s = await started(kind);
      try {
        await sleep(300);
        const empty = rssBytes(s.pid);
        await load(s.port, opts.keys, (i) => `key:${i}`, '0123456789', ttl ? ['EX', '100000'] : []);
        await sleep(500);
        cells[kind] = (rssBytes(s.pid) - empty) / opts.keys;
      } finally {
        await s.stop();
      }
    }
    rows.push([`${fmt(opts.keys)} x SET key:N <10 bytes>${ttl ? ' EX 100000' : ''}`, ...KINDS.map((k) => fmt(cells[k], 1)), `${fmt(cells.kv / cells.redis, 2)}x`]);
    console.log(rows[rows.length - 1].join(' | '));
  }
  return table(['RSS growth per key', ...KINDS.map((k) => `${k} B/key`), 'kv/redis'], rows);
}

async function stalls(opts) {
  const dir = mkdtempSync(join(tmpdir(), 'kv-stall-'));
  const probe = new URL('./stall-probe.mjs', import.meta.url).pathname;
  const n = opts.stallRequests;
  const rows = [];
  try {
    for (const kind of KINDS) {
      const file = join(dir, kind);
      process.env.KV_STALL_FILE = file;
      const s = await started(kind, kind === 'redis' ? {} : { nodeArgs: ['--import', probe] });
      try {
        await load(s.port, opts.keys, benchKey, 'x'.repeat(500));
        await bench(s.port, 'set', { n: 200_000, pipeline: 16, d: 500, keys: opts.keys });
        if (kind !== 'redis') process.kill(s.pid, 'SIGUSR2');
        await sleep(250);
        const t0 = performance.now();
        const r = await bench(s.port, 'set', { n, pipeline: 16, d: 500, keys: opts.keys });
        const seconds = (performance.now() - t0) / 1000;
        await sleep(250);
        const stall = kind === 'redis' ? NaN : Number(readFileSync(file, 'latin1'));
        rows.push([kind, fmt(seconds, 1), kind === 'redis' ? '-' : fmt(stall, 1), fmt(r.p99, 2), fmt(r.max, 1), fmt(r.rps)]);
        console.log(rows[rows.length - 1].join(' | '));
      } finally {
        await s.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return table([`SET -r ${opts.keys} -d 500 -P 16, ${n} requests`, 'seconds', 'longest event-loop stall ms', 'p99 ms', 'max latency ms', 'req/s'], rows);
}

/** SETs of `count` random keys below `keys` with random 1–1000-byte values, pipelined in batches of 10k. */
async function randomSets(conn, keys, count, random) {
  const filler = 'v'.repeat(1000);
  for (let done = 0; done < count; ) {
    const n = Math.min(10_000, count - done);
    let s = '';
    for (let i = 0; i < n; i++) {
      const k = `key:${Math.floor(random() * keys)}`;
      const v = filler.slice(0, 1 + Math.floor(random() * 1000));
      s += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
    }
    await conn.send(Buffer.from(s, 'latin1'), n);
    done += n;
  }
}

/**
 * Free-space reuse: RSS after filling `keys` keys with 1–1000-byte values, then after
 * `seconds` of random overwrites (same sizes), on each server.
 */
async function fragmentation(opts) {
  const rows = [];
  for (const kind of KINDS) {
    const s = await started(kind);
    const conn = await Conn.open(s.port);
    try {
      let seed = 12345;
      const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
      // the fill: every key once, in order
      const filler = 'v'.repeat(1000);
      for (let from = 0; from < opts.keys; from += 10_000) {
        let p = '';
        const to = Math.min(opts.keys, from + 10_000);
        for (let i = from; i < to; i++) {
          const k = `key:${i}`;
          const v = filler.slice(0, 1 + Math.floor(random() * 1000));
          p += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
        }
        await conn.send(Buffer.from(p, 'latin1'), to - from);
      }
      await sleep(500);
      const filled = rssBytes(s.pid);
      const t0 = performance.now();
      let writes = 0;
      while (performance.now() - t0 < opts.fragSeconds * 1000) {
        await randomSets(conn, opts.keys, 50_000, random);
        writes += 50_000;
      }
      await sleep(500);
      const after = rssBytes(s.pid);
      rows.push([s.name, `${fmt(filled / 1048576)} MiB`, `${fmt(after / 1048576)} MiB`, `${fmt(after / filled, 2)}x`, fmt(writes)]);
      console.log(rows[rows.length - 1].join(' | '));
    } finally {
      conn.close();
      await s.stop();
    }
  }
  return table([`${fmt(opts.keys)} keys, 1–1000-byte values`, 'RSS after the fill', `RSS after ${opts.fragSeconds} s of random overwrites`, 'growth', 'overwrites'], rows);
}

const opts = parseArgs(process.argv.slice(2));
const parts = [];
const sections = { throughput, 'per-key': perKey, stalls, fragmentation };
for (const [name, run] of Object.entries(sections)) if (opts.only === null || opts.only.has(name)) parts.push(await run(opts));
const md = `${BASELINE === null ? '' : `kv-before: ${BASELINE}\n\n`}Servers pinned to core ${SERVER_CORE}, redis-benchmark to core ${CLIENT_CORE} (taskset); ${opts.keys} keys; median of ${opts.runs} interleaved runs.\n\n${parts.join('\n\n')}\n\n${machineInfo()}`;
console.log(`\n${md}`);
if (!opts.quick) writeSection('keyspace', md);
